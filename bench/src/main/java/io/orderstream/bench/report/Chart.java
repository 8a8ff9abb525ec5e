package io.orderstream.bench.report;

import io.orderstream.bench.Measurement;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Latency percentiles against offered rate as a PNG (JFreeChart): three panels side by side (p50,
 * p99, p99.9) on one logarithmic millisecond axis, one line (one colour) per system. Only open-loop steps are
 * drawn; a closed loop has no offered rate.
 */
public final class Chart {

    static final int WIDTH = 1500;
    static final int HEIGHT = 560;
    static final Map<String, ToDoubleFunction<Measurement>> PERCENTILES = new LinkedHashMap<>();

    static {
        PERCENTILES.put("p50", Measurement::p50Ms);
        PERCENTILES.put("p99", Measurement::p99Ms);
        PERCENTILES.put("p99.9", Measurement::p999Ms);
    }

    private Chart() {
    }

    public static void write(List<Measurement> measurements, String title, Path png) {
        System.setProperty("java.awt.headless", "true");
        try {
            Path dir = png.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            ChartUtils.saveChartAsPNG(png.toFile(), chart(measurements, title), WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    /** Colour-blind-safe (Okabe–Ito), one per system in every panel. */
    private static final Color[] COLOURS = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000)};

    static JFreeChart chart(List<Measurement> measurements, String title) {
        List<String> systems = measurements.stream().map(Measurement::system).distinct().toList();
        LogAxis latency = axis("latency, ms", 0.01);
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(latency);
        XYPlot first = null;
        for (Map.Entry<String, ToDoubleFunction<Measurement>> percentile : PERCENTILES.entrySet()) {
            XYSeriesCollection data = dataset(measurements, percentile.getValue());
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
            for (int i = 0; i < data.getSeriesCount(); i++) {
                int system = systems.indexOf((String) data.getSeriesKey(i));
                renderer.setSeriesPaint(i, COLOURS[system % COLOURS.length]);
            }
            NumberAxis rate = new NumberAxis(percentile.getKey() + " — offered rate, requests/s");
            rate.setAutoRangeIncludesZero(true);
            XYPlot panel = new XYPlot(data, rate, null, renderer);
            panel.setBackgroundPaint(Color.WHITE);
            panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
            panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.add(panel);
            if (first == null || data.getSeriesCount() > first.getDataset().getSeriesCount()) {
                first = panel;
            }
        }
        plot.setFixedLegendItems(first.getLegendItems()); // one entry per system, not one per panel
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** A logarithmic axis, ticks at 0.01, 0.1, 1, 10, … */
    private static LogAxis axis(String label, double smallest) {
        LogAxis axis = new LogAxis(label);
        axis.setSmallestValue(smallest);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###")); // 1,000 rather than 10^3.00
        axis.setTickUnit(new NumberTickUnit(1)); // a tick per decade
        return axis;
    }

    /** One series per system: (offered rate, latency) of its open-loop steps that have the percentile. */
    static XYSeriesCollection dataset(List<Measurement> measurements, ToDoubleFunction<Measurement> percentile) {
        Map<String, XYSeries> bySystem = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            double ms = percentile.applyAsDouble(m);
            if (!m.closedLoop() && !Double.isNaN(ms) && ms > 0) {
                bySystem.computeIfAbsent(m.system(), XYSeries::new).add(m.offeredRate(), ms);
            }
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        bySystem.values().forEach(dataset::addSeries);
        return dataset;
    }
}
