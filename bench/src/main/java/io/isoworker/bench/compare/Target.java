package io.isoworker.bench.compare;

/**
 * Where a runtime serves a workload: a loopback port and the Host header to send ({@code null}: the URL's
 * {@code 127.0.0.1:PORT}, for runtimes that serve one thing per port).
 */
record Target(int port, String host) {

    String hostHeader() {
        return host != null ? host : "127.0.0.1:" + port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
