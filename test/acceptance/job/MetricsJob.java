/*
 * The acceptance suite's job: an endless sequence source with watermarks -> keyBy -> map -> discarding sink,
 * checkpointing on, parallelism 2, with a little keyed state. The map registers the custom metrics the config declares, given as
 * arguments "type:group.group.name" (type: counter, gauge, histogram, meter). It compiles against Flink 1.18 to
 * 2.x alike: no open() override (its signature changed in 1.19/2.0), metrics are registered on the first record.
 */
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

public class MetricsJob {
    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(5000);
        DataStream<Long> mapped = env.fromSequence(0, Long.MAX_VALUE)
            .name("Sequence source")
            // A few hundred records per second, throttled next to the source (chained to it): the job never ends,
            // never floods the machine, and never back-pressures, so checkpoints complete in milliseconds.
            .map(value -> {
                Thread.sleep(2);
                return value;
            })
            .returns(Long.class)
            .name("Throttle")
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ofSeconds(1))
                    .withTimestampAssigner((value, previous) -> System.currentTimeMillis()))
            .keyBy(value -> value % 8)
            .map(new MeteredMap(args))
            .name("Metered map");
        discard(mapped).name("Discarding sink");
        env.execute("flinkmon-acceptance");
    }

    /**
     * A sink that drops everything: the Sink V2 DiscardingSink where the version has it (1.19+; 2.x removed
     * SinkFunction), else the SinkFunction one (1.18). Looked up by name so one source compiles against both.
     */
    private static DataStreamSink<?> discard(DataStream<Long> stream) throws Exception {
        try {
            Object sink = Class.forName("org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink").getDeclaredConstructor().newInstance();
            return (DataStreamSink<?>) DataStream.class.getMethod("sinkTo", Class.forName("org.apache.flink.api.connector.sink2.Sink")).invoke(stream, sink);
        } catch (ClassNotFoundException e) {
            Object sink = Class.forName("org.apache.flink.streaming.api.functions.sink.DiscardingSink").getDeclaredConstructor().newInstance();
            return (DataStreamSink<?>) DataStream.class.getMethod("addSink", Class.forName("org.apache.flink.streaming.api.functions.sink.SinkFunction")).invoke(stream, sink);
        }
    }

    /** Registers the declared metrics and feeds them from the records it passes on. */
    public static class MeteredMap extends RichMapFunction<Long, Long> {
        private final String[] declarations;
        private transient List<Counter> counters;
        private transient List<Histogram> histograms;
        private transient List<Meter> meters;
        private transient volatile long last;
        /** Keyed state, so a RocksDB state backend has a column family to report on. */
        private transient ValueState<Long> seen;

        public MeteredMap(String[] declarations) {
            this.declarations = declarations;
        }

        private void register() {
            counters = new ArrayList<>();
            histograms = new ArrayList<>();
            meters = new ArrayList<>();
            for (String declaration : declarations) {
                String type = declaration.substring(0, declaration.indexOf(':'));
                String[] path = declaration.substring(type.length() + 1).split("\\.");
                MetricGroup group = getRuntimeContext().getMetricGroup();
                for (int i = 0; i < path.length - 1; i++) group = group.addGroup(path[i]);
                String name = path[path.length - 1];
                switch (type) {
                    case "counter": counters.add(group.counter(name)); break;
                    case "gauge": group.gauge(name, (Gauge<Long>) () -> last % 100); break;
                    case "histogram": histograms.add(group.histogram(name, new DescriptiveStatisticsHistogram(500))); break;
                    case "meter": meters.add(group.meter(name, new MeterView(5))); break;
                    default: throw new IllegalArgumentException("unknown metric type in " + declaration);
                }
            }
        }

        @Override
        public Long map(Long value) throws Exception {
            if (counters == null) {
                register();
                seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Long.class));
            }
            Long before = seen.value();
            seen.update(before == null ? 1L : before + 1);
            last = value;
            for (Counter c : counters) c.inc();
            for (Histogram h : histograms) h.update(value % 1000);
            for (Meter m : meters) m.markEvent();
            return value;
        }
    }
}
