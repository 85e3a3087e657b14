package io.isoworker.api.http;

import java.util.Objects;

/**
 * What a self-hosted node knows of an incoming request's connection: the fields of Workers' {@code request.cf} it
 * can fill in. Geolocation and ASN fields are unknown here and left out.
 *
 * @param colo the node's name (the {@code colo} setting)
 * @param httpProtocol {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2}
 * @param tlsVersion the TLS version when TLS terminates here, else the empty string (as Workers has it for plain HTTP)
 * @param tlsCipher the TLS cipher suite when TLS terminates here, else the empty string
 * @param clientTcpRtt the client's TCP round-trip time in milliseconds, or -1 when unknown (then omitted)
 */
public record RequestCf(String colo, String httpProtocol, String tlsVersion, String tlsCipher, long clientTcpRtt) {

    public RequestCf {
        Objects.requireNonNull(colo, "colo");
        Objects.requireNonNull(httpProtocol, "httpProtocol");
        tlsVersion = tlsVersion == null ? "" : tlsVersion;
        tlsCipher = tlsCipher == null ? "" : tlsCipher;
    }
}
