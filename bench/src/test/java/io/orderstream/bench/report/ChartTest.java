package io.orderstream.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.bench.Measurement;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {

    @TempDir
    Path dir;

    @Test
    void writesThreePanelsWithData() throws Exception {
        List<Measurement> data = new ArrayList<>();
        String[] systems = {"Order Stream", "Kafka perf", "Spring MVC + JDBC", "Redis Streams", "Echo"};
        int[] rates = {500, 1000, 2000, 5000};
        for (int s = 0; s < systems.length; s++) {
            for (int r : rates) {
                boolean over = s == 2 && r == 5000;
                double p50 = (s + 1) * r / 1000.0;
                data.add(new Measurement(systems[s], r, 0, over ? r * 30L : r * 60L, 0, 60, p50, p50 * 5,
                        s == 1 ? Double.NaN : p50 * 20, ""));
            }
            data.add(new Measurement(systems[s], Measurement.CLOSED_LOOP, 64, 1_000_000, 0, 60, 1, 2, 3, ""));
        }
        Path png = dir.resolve("sub/chart.png");

        Chart.write(data, "test chart", png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(Chart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Chart.HEIGHT);
        for (int p = 0; p < 3; p++) {
            int[] cols = Chart.panelColumns(p);
            assertThat(colouredPixels(image, cols[0] + 3, cols[1] - 3, Chart.TOP + 3, Chart.BOTTOM - 3))
                    .as("coloured (data) pixels in panel %d", p).isGreaterThan(500);
        }
    }

    @Test
    void noOpenLoopStepsStillDraws() throws Exception {
        Path png = dir.resolve("empty.png");
        Chart.write(List.of(new Measurement("closed only", 0, 8, 10, 0, 1, 1, 2, 3, "")), "nothing", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(Chart.WIDTH);
        int[] cols = Chart.panelColumns(0);
        assertThat(colouredPixels(image, cols[0] + 3, cols[1] - 3, Chart.TOP + 3, Chart.BOTTOM - 3)).isZero();
    }

    @Test
    void overloadedWhenBehindOrFailing() {
        assertThat(Chart.overloaded(step(1000, 60_000, 0))).isFalse();
        assertThat(Chart.overloaded(step(1000, 57_000, 0))).isFalse(); // exactly 95 %
        assertThat(Chart.overloaded(step(1000, 56_000, 0))).isTrue();
        assertThat(Chart.overloaded(step(1000, 60_000, 600))).isFalse(); // under 1 %
        assertThat(Chart.overloaded(step(1000, 60_000, 700))).isTrue();
    }

    private static Measurement step(int rate, long completed, long errors) {
        return new Measurement("s", rate, 0, completed, errors, 60, 1, 2, 3, "");
    }

    /** Pixels that are clearly not white or grey: the lines and markers, not the grid or frame. */
    private static int colouredPixels(BufferedImage image, int x0, int x1, int y0, int y1) {
        int count = 0;
        for (int x = x0; x < x1; x++) {
            for (int y = y0; y < y1; y++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    count++;
                }
            }
        }
        return count;
    }
}
