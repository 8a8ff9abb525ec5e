package io.orderstream.bench.report;

import io.orderstream.bench.Measurement;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Latency percentiles against offered rate as a PNG: three panels side by side (p50, p99, p99.9),
 * one line per system. Only open-loop steps are drawn; a closed loop has no offered rate.
 */
public final class Chart {

    static final int WIDTH = 1500;
    static final int HEIGHT = 560;

    /** Where the panels sit, so a test can look inside each one. */
    static final int TOP = 70;
    static final int BOTTOM = HEIGHT - 120;
    static final int PANEL_GAP = 40;
    static final int LEFT = 85;
    static final int RIGHT = 25;

    private static final String[] PANEL_TITLES = {"p50", "p99", "p99.9"};
    private static final List<ToDoubleFunction<Measurement>> PERCENTILES =
            List.of(Measurement::p50Ms, Measurement::p99Ms, Measurement::p999Ms);

    /** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), then some more. */
    private static final Color[] COLOURS = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0x8C564B)};

    private static final Color GRID = new Color(0xE3E3E3);
    private static final Color MINOR_GRID = new Color(0xF2F2F2);
    private static final Color AXIS = new Color(0x555555);
    private static final Color TEXT = new Color(0x222222);

    private Chart() {
    }

    /**
     * Draws the chart and writes it as a PNG of about 1500 × 560 pixels.
     *
     * <p>x: the offered rates of the open-loop steps present (requests per second), evenly spaced;
     * y: latency in milliseconds on a log scale, the same range in all three panels. A step counts as
     * overloaded when its throughput fell below 95 % of the offered rate or more than 1 % of its
     * requests failed; its marker is drawn hollow. Missing and NaN percentiles leave a gap in the
     * line. When one system has several steps at the same rate, the last one counts.
     *
     * @param measurements results of any systems; closed-loop ones are ignored
     * @param title        the headline above the panels
     * @param png          the file to write (its directory is created if needed)
     */
    public static void write(List<Measurement> measurements, String title, Path png) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = render(measurements, title);
        try {
            Path dir = png.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            if (!ImageIO.write(image, "png", png.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    /** Whether a step did not keep up: throughput below 95 % of the offered rate, or over 1 % errors. */
    static boolean overloaded(Measurement m) {
        long total = m.completed() + m.errors();
        return m.throughput() < 0.95 * m.offeredRate() || (total > 0 && m.errors() > 0.01 * total);
    }

    /** The x extent of panel {@code i} (0, 1, 2) as {left, right} pixel columns of its plot area. */
    static int[] panelColumns(int i) {
        double width = (WIDTH - LEFT - RIGHT - 2.0 * (PANEL_GAP + LEFT)) / 3;
        int left = (int) Math.round(LEFT + i * (width + PANEL_GAP + LEFT));
        return new int[] {left, (int) Math.round(left + width)};
    }

    static BufferedImage render(List<Measurement> measurements, String title) {
        List<Measurement> open = measurements.stream().filter(m -> !m.closedLoop()).toList();
        List<Integer> rates = new ArrayList<>(new TreeSet<>(open.stream().map(Measurement::offeredRate).toList()));
        Map<String, Map<Integer, Measurement>> bySystem = new LinkedHashMap<>();
        for (Measurement m : open) {
            bySystem.computeIfAbsent(m.system(), s -> new LinkedHashMap<>()).put(m.offeredRate(), m);
        }
        double[] decades = decades(open);

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);

            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
            centre(g, title, WIDTH / 2.0, 30);

            for (int p = 0; p < 3; p++) {
                drawPanel(g, p, rates, bySystem, decades);
            }
            drawLegend(g, new ArrayList<>(bySystem.keySet()), rates.isEmpty());
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawPanel(Graphics2D g, int p, List<Integer> rates,
            Map<String, Map<Integer, Measurement>> bySystem, double[] decades) {
        int[] cols = panelColumns(p);
        double x0 = cols[0];
        double x1 = cols[1];
        double lo = decades[0];
        double hi = decades[1];

        // grid and y ticks: every decade labelled; 2 and 5 labelled too when the range is short
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        boolean labelMinor = hi - lo <= 3;
        for (int e = (int) lo; e < hi; e++) {
            for (int k = 2; k <= 9; k++) {
                double v = k * Math.pow(10, e);
                double y = y(Math.log10(v), lo, hi);
                boolean labelled = labelMinor && (k == 2 || k == 5);
                g.setColor(labelled ? GRID : MINOR_GRID);
                g.draw(new Line2D.Double(x0, y, x1, y));
                if (labelled) {
                    g.setColor(AXIS);
                    right(g, number(v), x0 - 8, y + 5);
                }
            }
        }
        for (int e = (int) lo; e <= hi; e++) {
            double y = y(e, lo, hi);
            g.setColor(GRID.darker());
            g.draw(new Line2D.Double(x0, y, x1, y));
            g.setColor(AXIS);
            right(g, number(Math.pow(10, e)), x0 - 8, y + 5);
        }

        // x categories
        for (int i = 0; i < rates.size(); i++) {
            double x = x(i, rates.size(), x0, x1);
            g.setColor(GRID);
            g.draw(new Line2D.Double(x, TOP, x, BOTTOM));
            g.setColor(AXIS);
            centre(g, Integer.toString(rates.get(i)), x, BOTTOM + 20);
        }
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Rectangle2D.Double(x0, TOP, x1 - x0, BOTTOM - TOP));
        g.setStroke(new BasicStroke(1f));
        g.setColor(TEXT);
        centre(g, "offered rate (requests/s)", (x0 + x1) / 2, BOTTOM + 42);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        centre(g, PANEL_TITLES[p] + " latency", (x0 + x1) / 2, TOP - 12);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        AffineTransform saved = g.getTransform();
        g.translate(x0 - 58, (TOP + BOTTOM) / 2.0);
        g.rotate(-Math.PI / 2);
        centre(g, "ms (log scale)", 0, 0);
        g.setTransform(saved);

        if (rates.isEmpty()) {
            g.setColor(AXIS);
            centre(g, "no open-loop steps", (x0 + x1) / 2, (TOP + BOTTOM) / 2.0);
            return;
        }

        // lines, then markers on top; systems nudged sideways a little so equal points stay visible
        ToDoubleFunction<Measurement> percentile = PERCENTILES.get(p);
        List<String> systems = new ArrayList<>(bySystem.keySet());
        double slot = (x1 - x0) / Math.max(rates.size(), 1);
        double nudgeStep = Math.min(6, slot * 0.3 / Math.max(systems.size(), 1));
        Stroke line = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        for (int pass = 0; pass < 2; pass++) {
            for (int s = 0; s < systems.size(); s++) {
                Color colour = COLOURS[s % COLOURS.length];
                double nudge = (s - (systems.size() - 1) / 2.0) * nudgeStep;
                Map<Integer, Measurement> steps = bySystem.get(systems.get(s));
                Path2D.Double path = new Path2D.Double();
                boolean drawing = false;
                for (int i = 0; i < rates.size(); i++) {
                    Measurement m = steps.get(rates.get(i));
                    double v = m == null ? Double.NaN : percentile.applyAsDouble(m);
                    if (!(v > 0) || Double.isInfinite(v)) {
                        drawing = false; // a gap, not a line across it
                        continue;
                    }
                    double x = x(i, rates.size(), x0, x1) + nudge;
                    double y = y(Math.log10(v), lo, hi);
                    if (pass == 0) {
                        if (drawing) {
                            path.lineTo(x, y);
                        } else {
                            path.moveTo(x, y);
                        }
                        drawing = true;
                    } else {
                        marker(g, s, x, y, colour, overloaded(m));
                    }
                }
                if (pass == 0) {
                    g.setColor(colour);
                    g.setStroke(line);
                    g.draw(path);
                }
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void drawLegend(Graphics2D g, List<String> systems, boolean empty) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        FontMetrics fm = g.getFontMetrics();
        int gap = 34;
        int sample = 40;
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        int rowWidth = 0;
        for (String s : systems) {
            int w = sample + 8 + fm.stringWidth(s);
            if (!row.isEmpty() && rowWidth + gap + w > WIDTH - 80) {
                rows.add(row);
                row = new ArrayList<>();
                rowWidth = 0;
            }
            rowWidth += (row.isEmpty() ? 0 : gap) + w;
            row.add(s);
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        int y = BOTTOM + 72;
        int index = 0;
        for (List<String> r : rows) {
            int width = 0;
            for (String s : r) {
                width += sample + 8 + fm.stringWidth(s);
            }
            width += gap * (r.size() - 1);
            double x = (WIDTH - width) / 2.0;
            for (String s : r) {
                Color colour = COLOURS[index % COLOURS.length];
                g.setColor(colour);
                g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(new Line2D.Double(x, y - 5, x + sample, y - 5));
                g.setStroke(new BasicStroke(1f));
                marker(g, index, x + sample / 2.0, y - 5, colour, false);
                g.setColor(TEXT);
                g.drawString(s, (float) (x + sample + 8), y);
                x += sample + 8 + fm.stringWidth(s) + gap;
                index++;
            }
            y += 22;
        }
        if (!empty) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.setColor(AXIS);
            String caption = "hollow marker = overloaded at that rate (throughput below 95 % of the offered rate, or over 1 % "
                    + "errors)   \u00b7   no marker = no figure for that rate";
            double cx = WIDTH / 2.0;
            int textWidth = g.getFontMetrics().stringWidth(caption);
            marker(g, 0, cx - textWidth / 2.0 - 14, y - 4, AXIS, true);
            centre(g, caption, cx + 8, y);
        }
    }

    /** A filled (or hollow) marker, its shape chosen by the system's index. */
    private static void marker(Graphics2D g, int system, double x, double y, Color colour, boolean hollow) {
        double r = 6;
        Shape shape = switch (Math.floorMod(system, 5)) {
            case 1 -> new Rectangle2D.Double(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
            case 2 -> polygon(x, y, r * 1.2, new double[] {-90, 30, 150});
            case 3 -> polygon(x, y, r * 1.15, new double[] {-90, 0, 90, 180});
            case 4 -> polygon(x, y, r * 1.2, new double[] {90, 210, 330});
            default -> new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
        };
        g.setColor(hollow ? Color.WHITE : colour);
        g.fill(shape);
        g.setColor(colour);
        g.setStroke(new BasicStroke(hollow ? 2.2f : 1.2f));
        g.draw(shape);
        g.setStroke(new BasicStroke(1f));
    }

    private static Shape polygon(double x, double y, double r, double[] degrees) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < degrees.length; i++) {
            double a = Math.toRadians(degrees[i]);
            if (i == 0) {
                p.moveTo(x + r * Math.cos(a), y + r * Math.sin(a));
            } else {
                p.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    /** The log10 range {low, high} of the y axis: whole decades around every finite positive percentile. */
    static double[] decades(List<Measurement> open) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Measurement m : open) {
            for (ToDoubleFunction<Measurement> f : PERCENTILES) {
                double v = f.applyAsDouble(m);
                if (v > 0 && !Double.isInfinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            return new double[] {-1, 3};
        }
        double lo = Math.floor(Math.log10(min));
        double hi = Math.ceil(Math.log10(max));
        if (hi - lo < 2) {
            hi = lo + 2; // at least two decades, so the scale reads as logarithmic
        }
        return new double[] {lo, hi};
    }

    private static double x(int i, int n, double x0, double x1) {
        double slot = (x1 - x0) / Math.max(n, 1);
        return x0 + slot * (i + 0.5);
    }

    private static double y(double log, double lo, double hi) {
        return BOTTOM - (log - lo) / (hi - lo) * (BOTTOM - TOP);
    }

    private static String number(double v) {
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static void centre(Graphics2D g, String s, double x, double y) {
        g.drawString(s, (float) (x - g.getFontMetrics().stringWidth(s) / 2.0), (float) y);
    }

    private static void right(Graphics2D g, String s, double x, double y) {
        g.drawString(s, (float) (x - g.getFontMetrics().stringWidth(s)), (float) y);
    }
}
