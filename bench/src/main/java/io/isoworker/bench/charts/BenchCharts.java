package io.isoworker.bench.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Draws the charts of docs/benchmarks.md from the peer comparison's {@code results.json} (written by
 * {@code bench/compare}): throughput and p99 latency per runtime and workload (grouped bars), and the distribution of
 * cold starts per runtime (an empirical cumulative distribution on a logarithmic time axis, so that a 1 ms cold start
 * and a 3 s process start fit one picture).
 *
 * <pre>java -cp ... io.isoworker.bench.charts.BenchCharts RESULTS_JSON OUT_DIR</pre>
 *
 * Writes {@code throughput.png}, {@code latency-p99.png} and {@code cold-start.png} into OUT_DIR.
 */
public final class BenchCharts {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;

    /** One colour per runtime, the same in every chart (isoworker first). */
    private static final List<String> RUNTIME_ORDER = List.of("isoworker", "vertx-plain", "workerd", "deno");
    private static final Color[] PALETTE = {
        new Color(0x1f, 0x77, 0xb4), new Color(0x7f, 0x7f, 0x7f), new Color(0xff, 0x7f, 0x0e),
        new Color(0x2c, 0xa0, 0x2c), new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b),
        new Color(0xd6, 0x27, 0x28), new Color(0x17, 0xbe, 0xcf),
    };

    private BenchCharts() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchCharts RESULTS_JSON OUT_DIR");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Path results = Path.of(args[0]);
        Path out = Path.of(args[1]);
        JsonObject json;
        try {
            json = new JsonObject(Files.readString(results));
        } catch (RuntimeException e) {
            throw new IOException(results + " is not a results.json of bench/compare: " + e.getMessage(), e);
        }
        Files.createDirectories(out);
        List<Path> written = write(json, out);
        written.forEach(p -> System.out.println("wrote " + p));
    }

    /** Writes every chart the results have data for; the files written. */
    public static List<Path> write(JsonObject results, Path out) throws IOException {
        String subtitle = subtitle(results, true);
        List<Path> written = new ArrayList<>();
        JsonArray load = results.getJsonArray("load", new JsonArray());
        if (hasValues(load, "requests_per_s")) {
            written.add(save(loadChart(load, "requests_per_s", "Throughput (wrk, loopback)" + subtitle,
                    "requests per second", new DecimalFormat("#,##0")), out.resolve("throughput.png")));
        }
        if (hasValues(load, "p99_ms")) {
            written.add(save(loadChart(load, "p99_ms", "p99 latency under load (lower is better)" + subtitle,
                    "p99 latency (ms)", new DecimalFormat("#,##0.0#")), out.resolve("latency-p99.png")));
        }
        JsonArray cold = results.getJsonArray("cold_start", new JsonArray());
        if (!cold.isEmpty()) {
            written.add(save(coldStartChart(cold, "Cold start: time to first answer (cumulative)"
                    + subtitle(results, false)),
                    out.resolve("cold-start.png")));
        }
        return written;
    }

    private static String subtitle(JsonObject results, boolean withConnections) {
        JsonObject settings = results.getJsonObject("settings", new JsonObject());
        JsonObject machine = results.getJsonObject("machine", new JsonObject());
        String date = results.getString("started", "");
        StringBuilder s = new StringBuilder();
        if (machine.containsKey("cores")) {
            s.append(machine.getValue("cores")).append(" cores");
        }
        if (withConnections && settings.containsKey("connections")) {
            s.append(s.isEmpty() ? "" : ", ").append(settings.getValue("connections")).append(" connections");
        }
        if (!date.isEmpty()) {
            s.append(s.isEmpty() ? "" : ", ").append(date.length() >= 10 ? date.substring(0, 10) : date);
        }
        return s.isEmpty() ? "" : " - " + s;
    }

    private static boolean hasValues(JsonArray rows, String field) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.getJsonObject(i).getValue(field) instanceof Number) {
                return true;
            }
        }
        return false;
    }

    private static JFreeChart loadChart(JsonArray rows, String field, String title, String valueLabel,
            DecimalFormat format) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<String> runtimes = runtimesIn(rows);
        // Workloads in the order the results list them; each runtime a series, in the fixed order.
        List<String> workloads = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String w = rows.getJsonObject(i).getString("workload");
            if (!workloads.contains(w)) {
                workloads.add(w);
            }
        }
        for (String runtime : runtimes) {
            for (String workload : workloads) {
                for (int i = 0; i < rows.size(); i++) {
                    JsonObject row = rows.getJsonObject(i);
                    if (runtime.equals(row.getString("runtime")) && workload.equals(row.getString("workload"))
                            && row.getValue(field) instanceof Number n) {
                        data.addValue(n.doubleValue(), runtime, workload);
                    }
                }
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, "workload", valueLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setItemMargin(0.04);
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", format));
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int s = 0; s < data.getRowCount(); s++) {
            bars.setSeriesPaint(s, colour(data.getRowKey(s).toString(), s));
        }
        ((NumberAxis) plot.getRangeAxis()).setNumberFormatOverride(format);
        plot.getRangeAxis().setUpperMargin(0.12);
        return chart;
    }

    private static JFreeChart coldStartChart(JsonArray rows, String title) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<String> runtimes = runtimesIn(rows);
        List<String> colours = new ArrayList<>();
        for (String runtime : runtimes) {
            for (int i = 0; i < rows.size(); i++) {
                JsonObject row = rows.getJsonObject(i);
                if (!runtime.equals(row.getString("runtime"))) {
                    continue;
                }
                double[] samples = samples(row.getJsonArray("samples_ms", new JsonArray()));
                if (samples.length == 0) {
                    continue;
                }
                Arrays.sort(samples);
                XYSeries series = new XYSeries(runtime + ": " + row.getString("what", "") + " (n=" + samples.length
                        + ")", false, true);
                series.add(samples[0], 0.0);
                for (int k = 0; k < samples.length; k++) {
                    series.add(samples[k], 100.0 * (k + 1) / samples.length);
                }
                data.addSeries(series);
                colours.add(runtime);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "time to first answer (ms, log scale)",
                "cold starts done (%)", data, PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        XYPlot plot = chart.getXYPlot();
        LogAxis time = new LogAxis("time to first answer (ms, log scale)");
        time.setBase(10);
        time.setSmallestValue(0.01);
        time.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        time.setAutoTickUnitSelection(false);
        time.setTickUnit(new NumberTickUnit(1.0)); // one tick per power of ten
        time.setMinorTickCount(9);
        time.setMinorTickMarksVisible(true);
        plot.setDomainAxis(time);
        NumberAxis percent = (NumberAxis) plot.getRangeAxis();
        percent.setRange(0, 100);
        XYStepRenderer steps = new XYStepRenderer();
        // Series of one runtime share its colour and differ by dash pattern.
        int[] perRuntime = new int[runtimes.size()];
        for (int s = 0; s < colours.size(); s++) {
            int r = runtimes.indexOf(colours.get(s));
            steps.setSeriesPaint(s, colour(colours.get(s), r));
            float[] dash = switch (perRuntime[r]++ % 3) {
                case 0 -> null;
                case 1 -> new float[] {8f, 4f};
                default -> new float[] {2f, 3f};
            };
            steps.setSeriesStroke(s, dash == null ? new BasicStroke(2.2f)
                    : new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        }
        plot.setRenderer(steps);
        return chart;
    }

    private static double[] samples(JsonArray values) {
        double[] out = new double[values.size()];
        int n = 0;
        for (int i = 0; i < values.size(); i++) {
            if (values.getValue(i) instanceof Number v && v.doubleValue() > 0) {
                out[n++] = v.doubleValue();
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The runtimes the rows name: the known ones in their fixed order, then any others in order of appearance. */
    private static List<String> runtimesIn(JsonArray rows) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String r = rows.getJsonObject(i).getString("runtime");
            if (r != null && !seen.contains(r)) {
                seen.add(r);
            }
        }
        List<String> ordered = new ArrayList<>();
        RUNTIME_ORDER.stream().filter(seen::contains).forEach(ordered::add);
        seen.stream().filter(r -> !ordered.contains(r)).forEach(ordered::add);
        return ordered;
    }

    private static Color colour(String runtime, int fallbackIndex) {
        int known = RUNTIME_ORDER.indexOf(runtime);
        return PALETTE[(known >= 0 ? known : RUNTIME_ORDER.size() + fallbackIndex) % PALETTE.length];
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        chart.getPlot().setBackgroundPaint(new Color(0xfa, 0xfa, 0xfa));
        if (chart.getPlot() instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(new Color(0xcc, 0xcc, 0xcc));
        } else if (chart.getPlot() instanceof XYPlot p) {
            p.setRangeGridlinePaint(new Color(0xcc, 0xcc, 0xcc));
            p.setDomainGridlinePaint(new Color(0xcc, 0xcc, 0xcc));
        }
    }

    private static Path save(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(new File(file.toString()), chart, WIDTH, HEIGHT);
        return file;
    }
}
