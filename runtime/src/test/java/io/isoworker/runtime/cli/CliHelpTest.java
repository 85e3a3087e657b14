package io.isoworker.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Every command answers {@code --help}; usage errors exit with 2 and say what is wrong. */
class CliHelpTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theTopLevelHelpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("Usage: isoworker") && r.out().contains("dev") && r.out().contains("serve"),
                r.out());
        Run none = run();
        assertEquals(2, none.status());
        assertTrue(none.err().contains("Usage: isoworker"), none.err());
    }

    @Test
    void devHelpShowsItsOptions() {
        Run r = run("dev", "--help");
        assertEquals(0, r.status(), r.err());
        for (String option : new String[] {"--port", "--ip", "--env", "--no-reload", "FILE-OR-FOLDER"}) {
            assertTrue(r.out().contains(option), option + " in: " + r.out());
        }
        assertEquals(r.out(), run("help", "dev").out());
    }

    @Test
    void serveHelpShowsEverySetting() {
        Run r = run("serve", "--help");
        assertEquals(0, r.status(), r.err());
        for (String name : io.isoworker.runtime.config.ServerConfig.SETTINGS.keySet()) {
            assertTrue(r.out().contains("--" + name), "--" + name + " in: " + r.out());
        }
    }

    @Test
    void deployAndKvCommandsShowTheirHelp() {
        for (String[] command : new String[][] {{"deploy"}, {"kv"}, {"kv", "namespace"}, {"kv", "namespace", "create"},
                {"kv", "namespace", "list"}, {"kv", "namespace", "delete"}, {"kv", "key"}, {"kv", "key", "put"},
                {"kv", "key", "get"}, {"kv", "key", "delete"}, {"kv", "key", "list"}, {"tail"}}) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            Run r = run(args);
            assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().contains("Usage: isoworker " + String.join(" ", command)), r.out());
        }
        assertTrue(run("deploy", "--help").out().contains("--token"));
        assertTrue(run("kv", "key", "put", "--help").out().contains("--namespace-id"));
        Run missing = run("kv", "key", "get", "k");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("--namespace-id"), missing.err());
    }

    @Test
    void usageErrorsExitWith2AndSayWhy() {
        Run unknown = run("launch");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("launch"), unknown.err());
        Run badOption = run("dev", "--frobnicate");
        assertEquals(2, badOption.status());
        assertTrue(badOption.err().contains("--frobnicate"), badOption.err());
        Run badPort = run("dev", "--port", "eighty");
        assertEquals(2, badPort.status());
        assertTrue(badPort.err().contains("eighty"), badPort.err());
        Run badSetting = run("serve", "--port", "-3");
        assertEquals(2, badSetting.status());
        assertTrue(badSetting.err().contains("port"), badSetting.err());
    }
}
