package io.isoworker.runtime.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.isoworker.runtime.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code isoworker} command line (picocli): {@code dev}, {@code serve}, {@code deploy}, {@code kv}, and
 * {@code --help} on each. This and the
 * command classes are the one place that writes to the terminal: what the user must see (where the server listens, a
 * newly generated admin token, config warnings, usage errors). Everything else goes through the logger.
 *
 * <p>Exit statuses: 0 done, 1 the command failed (a broken script, a port in use), 2 a usage or config error.
 */
@Command(name = "isoworker", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs Cloudflare Workers scripts on the JVM: one worker for local development (dev), or the "
                + "multi-tenant server with its admin API (serve).",
        subcommands = {DevCommand.class, DeployCommand.class, KvCommand.class, TailCommand.class,
            AotTrainingCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    CommandSpec spec;

    /** Where commands write bytes that are not text ({@code kv key get}): the standard output as given. */
    final PrintStream rawOut;

    private Main(PrintStream rawOut) {
        this.rawOut = rawOut;
    }

    public static void main(String[] args) {
        // Exit explicitly: the AOT training run must end by itself for the JVM to write its cache, and a command that
        // failed must not wait for threads it started.
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command. Returns an exit status; a server command blocks until the process is stopped. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = commandLine(out, err);
        return cli.execute(args);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Main(out));
        cli.addSubcommand("serve", ServeCommand.commandLine(out));
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String name = commandLine.getCommandName();
            if (e instanceof ServerConfig.ConfigException || e instanceof CommandLine.ParameterException) {
                commandLine.getErr().println("isoworker " + name + ": " + e.getMessage());
                return 2;
            }
            commandLine.getErr().println("isoworker " + name + ": " + (e.getMessage() == null ? e.toString()
                    : e.getMessage()));
            return 1;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("isoworker " + c.getCommandName() + ": " + e.getMessage());
            c.getErr().println("(isoworker " + (c.getParent() == null ? "" : c.getCommandName() + " ")
                    + "--help shows the options)");
            return 2;
        });
        return cli;
    }

    /** {@code isoworker} without a command: the usage, exit status 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Blocks until the process is asked to stop (Ctrl-C, SIGTERM), then runs {@code close}. */
    static void awaitShutdown(Runnable close) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close.run();
            stopped.countDown();
        }, "isoworker-shutdown"));
        stopped.await();
    }

    /** {@code isoworker --version}: the build's version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"isoworker " + (v == null ? "(development build)" : v)};
        }
    }
}
