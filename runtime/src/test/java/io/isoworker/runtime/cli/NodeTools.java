package io.isoworker.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the tests that need Node.js and npm (bundling with esbuild, installing Hono): they are skipped, loudly, where
 * either is missing, never passed silently.
 */
final class NodeTools {

    private static final Logger LOG = LoggerFactory.getLogger(NodeTools.class);

    private NodeTools() {
    }

    /** Skips the calling test, with a warning in the log and the skip reason, unless node 18+ and npm run. */
    static void assumeNodeAndNpm() {
        String problem = problem();
        if (problem != null) {
            String message = "!!! SKIPPED: " + problem + ": this test bundles with esbuild from the npm registry and "
                    + "needs Node.js 18+ and npm on the PATH. Install them to run it. !!!";
            LOG.warn(message);
            Assumptions.assumeTrue(false, message);
        }
    }

    private static String problem() {
        String node = version("node");
        if (node == null) {
            return "node is not installed";
        }
        try {
            int major = Integer.parseInt(node.replaceFirst("^v", "").split("\\.")[0]);
            if (major < 18) {
                return "node " + node + " is older than 18";
            }
        } catch (NumberFormatException e) {
            return "node --version printed '" + node + "'";
        }
        return version("npm") == null ? "npm is not installed" : null;
    }

    /** What {@code TOOL --version} prints, or null when it does not run. */
    private static String version(String tool) {
        try {
            Process p = new ProcessBuilder(List.of(tool, "--version")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
