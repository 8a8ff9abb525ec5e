package io.orderstream.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.bench.Measurement;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {

    @TempDir
    Path dir;

    private static Measurement step(String system, int rate, double p50, double p999) {
        return new Measurement(system, rate, rate == 0 ? 64 : 0, 1000, 0, 10, p50, p50 * 2, p999, "");
    }

    @Test
    void eachPercentile_plotsEverySystemsOpenLoopSteps_notItsClosedLoop() {
        List<Measurement> data = List.of(step("Order Stream", 500, 4, 20), step("Order Stream", 1000, 6, 40),
                step("Order Stream", 0, 9, 90), step("Redis", 500, 0.1, Double.NaN), step("Redis", 1000, 0.2, 1));

        XYSeriesCollection p50 = Chart.dataset(data, Chart.PERCENTILES.get("p50"));
        XYSeriesCollection p999 = Chart.dataset(data, Chart.PERCENTILES.get("p99.9"));

        assertThat(p50.getSeriesCount()).isEqualTo(2);
        assertThat(p50.getSeries("Order Stream").getItemCount()).isEqualTo(2); // no closed loop: no offered rate
        assertThat(p50.getSeries("Order Stream").getY(1)).isEqualTo(6.0);
        assertThat(p50.getSeries("Order Stream").getX(1)).isEqualTo(1000.0);
        assertThat(p999.getSeries("Redis").getItemCount()).isEqualTo(1); // a percentile the tool does not give
    }

    @Test
    void writesAPng() throws Exception {
        Path png = dir.resolve("sub/chart.png");

        Chart.write(List.of(step("Order Stream", 500, 4, 20), step("Order Stream", 1000, 6, 40)), "test", png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(Chart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Chart.HEIGHT);
        Chart.write(List.of(step("closed only", 0, 1, 3)), "nothing open", dir.resolve("empty.png"));
        assertThat(ImageIO.read(dir.resolve("empty.png").toFile()).getWidth()).isEqualTo(Chart.WIDTH);
    }
}
