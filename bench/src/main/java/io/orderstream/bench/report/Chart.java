package io.orderstream.bench.report;

import io.orderstream.bench.Measurement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Latency percentiles against offered rate as a PNG (JFreeChart): three panels side by side (p50,
 * p99, p99.9) on one logarithmic millisecond axis, one line per system. Only open-loop steps are
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

    static JFreeChart chart(List<Measurement> measurements, String title) {
        LogAxis latency = new LogAxis("latency, ms");
        latency.setSmallestValue(0.01);
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(latency);
        PERCENTILES.forEach((name, percentile) -> {
            LogAxis rate = new LogAxis(name + " — offered rate, requests/s");
            rate.setSmallestValue(1);
            XYPlot panel = new XYPlot(dataset(measurements, percentile), rate, null,
                    new XYLineAndShapeRenderer(true, true));
            plot.add(panel);
        });
        return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
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
