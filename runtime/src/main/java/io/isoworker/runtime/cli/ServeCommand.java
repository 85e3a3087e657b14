package io.isoworker.runtime.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.isoworker.runtime.IsoworkerServer;
import io.isoworker.runtime.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code isoworker serve}: the multi-tenant server. Its options are the server's settings
 * ({@link ServerConfig#SETTINGS}), each also read from the environment ({@code ISOWORKER_NAME}) and the JSON config
 * file, so they are added to the command from that table rather than declared here.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the multi-tenant server: traffic routed by Host to uploaded scripts, and the admin API "
                + "(upload, versions, secrets, KV). Each option is also read from the environment (ISOWORKER_NAME, "
                + "e.g. ISOWORKER_ADMIN_PORT) and from the JSON config file (--config).")
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandSpec spec;

    private final PrintStream out;

    private ServeCommand(PrintStream out) {
        this.out = out;
    }

    static CommandLine commandLine(PrintStream out) {
        CommandLine cli = new CommandLine(new ServeCommand(out));
        ServerConfig.SETTINGS.forEach((name, d) -> cli.getCommandSpec().addOption(OptionSpec.builder("--" + name)
                .paramLabel("VALUE")
                .type(String[].class)
                .arity("1")
                .description(d[1] + (d[0].isEmpty() ? "" : " (default: " + d[0] + ")"))
                .hideParamSyntax(true)
                .build()));
        return cli;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, List<String>> flags = new LinkedHashMap<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (o.longestName().equals("--help") || o.longestName().equals("--version")) {
                continue;
            }
            flags.put(o.longestName().substring(2), List.copyOf(o.stringValues()));
        }
        ServerConfig config = ServerConfig.load(flags, System.getenv());
        IsoworkerServer server = IsoworkerServer.serve(config);
        if (server.adminToken().generated()) {
            out.println("Generated the admin API token (stored in " + server.adminToken().file()
                    + ", readable by you only; shown only now):");
            out.println("  " + server.adminToken().value());
        }
        out.println("isoworker serve: traffic on http://" + config.host() + ":" + server.port()
                + "/, admin API on http://" + config.adminHost() + ":" + server.adminPort() + "/v1/");
        out.flush();
        Main.awaitShutdown(server::close);
        return 0;
    }
}
