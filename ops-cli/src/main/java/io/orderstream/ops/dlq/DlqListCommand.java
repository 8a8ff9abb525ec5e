package io.orderstream.ops.dlq;

import io.orderstream.events.Topics.DlqHeaders;
import io.orderstream.ops.support.ExitCodes;
import io.orderstream.ops.support.KafkaOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the parked records of orders.commands.dlq.v1: id (partition@offset, for dlq redrive "
                + "--record), key, error headers (x-error-class, x-error-message, x-source-*, x-failed-at), a preview "
                + "of the value, and whether it was already redriven.")
final class DlqListCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;
    @Mixin
    DlqCommand.LedgerOption ledger;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Only records keyed TENANT/….")
    String tenant;

    @Option(names = "--pending", description = "Only records not redriven yet.")
    boolean pending;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Records to print, oldest first (default: ${DEFAULT-VALUE}; all are counted).")
    int limit;

    @Option(names = "--preview", paramLabel = "CHARS", defaultValue = "160",
            description = "Characters of each value to print (default: ${DEFAULT-VALUE}).")
    int preview;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DlqCommand.Contents dlq = DlqCommand.Contents.read(kafka);
        RedriveLedger redriven;
        try (Admin admin = kafka.admin()) {
            redriven = RedriveLedger.read(admin, kafka, ledger.group);
        }
        List<DlqRecord> chosen = dlq.records().stream()
                .filter(r -> tenant == null || (r.key() != null && r.key().startsWith(tenant + "/")))
                .filter(r -> !pending || !redriven.redriven(r))
                .toList();
        long done = chosen.stream().filter(r -> redriven.redriven(r)).count();
        for (DlqRecord record : chosen.subList(0, Math.min(limit, chosen.size()))) {
            out.printf("%s  %s  %s%n", record.id(), record.timestamp(),
                    redriven.redriven(record) ? "REDRIVEN" : "PENDING");
            out.printf("  key      %s%n", record.key());
            String message = record.header(DlqHeaders.ERROR_MESSAGE);
            out.printf("  error    %s: %s%n", record.header(DlqHeaders.ERROR_CLASS),
                    message == null ? null : message.replaceAll("\\s*\\R\\s*", " "));
            out.printf("  source   %s, failed at %s%n", record.source(), record.header(DlqHeaders.FAILED_AT));
            out.printf("  value    %s%n", record.preview(preview));
        }
        if (chosen.size() > limit) {
            out.printf("… %d more (--limit)%n", chosen.size() - limit);
        }
        out.printf("dlq list: %d records%s: %d pending, %d redriven%n", chosen.size(),
                tenant == null ? "" : " of tenant " + tenant, chosen.size() - done, done);
        return ExitCodes.OK;
    }
}
