package io.isoworker.api.host;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

import io.isoworker.api.http.HttpRequestHead;
import io.isoworker.api.http.OutboundHttp;
import io.isoworker.api.http.OutboundRequest;

/**
 * What the prelude's {@code fetch()} (fetch.js) calls: it starts one outbound request per network hop over the
 * context's {@link OutboundHttp}, and resolves redirect locations. Events come back through {@link FetchCall}.
 */
public final class FetchHost {

    private static final Pattern ABSOLUTE_URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private final HostBridge bridge;
    private OutboundHttp http = OutboundHttp.NONE;
    /** Requests in flight, by the incoming request they were made for. Owner thread only. */
    private final Map<HttpRequestHead, List<FetchCall>> open = new IdentityHashMap<>();

    FetchHost(HostBridge bridge) {
        this.bridge = bridge;
    }

    /** Gives the context its outbound client; called when a worker is loaded into it. */
    public void connect(OutboundHttp outbound) {
        this.http = outbound;
    }

    @HostAccess.Export
    public int subrequestLimit() {
        return http.subrequestLimit();
    }

    /** The hop count an incoming request arrived with (see {@link OutboundHttp#HOP_HEADER}). */
    @HostAccess.Export
    public int incomingHops(HttpRequestHead head) {
        for (int i = 0, n = head.headerCount(); i < n; i++) {
            if (head.headerName(i).equalsIgnoreCase(OutboundHttp.HOP_HEADER)) {
                return OutboundHttp.hops(head.headerValue(i));
            }
        }
        return 0;
    }

    /**
     * Starts one request.
     *
     * @param headers  a flat JavaScript array {@code [name0, value0, name1, value1, ...]}
     * @param body     an ArrayBuffer with the whole body, or null
     * @param streamed true when the body follows through {@link FetchCall#write} and {@link FetchCall#end}
     * @param owner    the incoming request this fetch is made for, or null
     * @param listener a JavaScript object with the functions {@code head(status, statusText, headerLines)},
     *                 {@code data(ByteBuffer)}, {@code end()} and {@code error(message)}
     */
    @HostAccess.Export
    public FetchCall start(String method, String url, Value headers, Value body, boolean streamed, int hops,
            HttpRequestHead owner, Value listener) {
        bridge.used(IsolateServices.Use.SUBREQUEST);
        List<Map.Entry<String, String>> list = GuestHeaders.read(headers);
        byte[] bytes = null;
        if (body != null && !body.isNull()) {
            bytes = new byte[(int) body.getBufferSize()];
            body.readBuffer(0, bytes, 0, bytes.length);
        }
        FetchCall call = new FetchCall(bridge.services(), listener, this, owner);
        if (owner != null) {
            open.computeIfAbsent(owner, k -> new ArrayList<>(2)).add(call);
        }
        call.begin(http, new OutboundRequest(method, url, list, bytes, streamed, hops, bridge.scriptName()));
        return call;
    }

    void over(FetchCall call, HttpRequestHead owner) {
        List<FetchCall> calls = owner == null ? null : open.get(owner);
        if (calls != null && calls.remove(call) && calls.isEmpty()) {
            open.remove(owner);
        }
    }

    /**
     * The incoming request {@code head} is done (its response sent, no {@code waitUntil} work left): its fetches
     * still in flight, typically response bodies nobody read, are cancelled so that they release their
     * connections. Owner thread only.
     */
    public void requestFinished(HttpRequestHead head) {
        List<FetchCall> calls = open.remove(head);
        if (calls != null) {
            for (FetchCall c : List.copyOf(calls)) {
                c.abandon();
            }
        }
    }

    /** Cancels every fetch in flight (the isolate is closing). Owner thread only. */
    public void cancelAll() {
        List<FetchCall> calls = new ArrayList<>();
        open.values().forEach(calls::addAll);
        open.clear();
        for (FetchCall c : calls) {
            c.abandon();
        }
    }

    /** The absolute URL a redirect's {@code Location} names, relative to {@code base}; null when it is invalid. */
    @HostAccess.Export
    public String resolve(String base, String location) {
        if (ABSOLUTE_URL.matcher(location).lookingAt()) {
            return location;
        }
        try {
            URI from = new URI(escapeForUri(base));
            if (from.getRawPath() == null || from.getRawPath().isEmpty()) {
                from = new URI(from.getScheme(), from.getRawAuthority(), "/", null, null);
            }
            return from.resolve(new URI(escapeForUri(location))).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Percent-encodes what {@link URI} refuses but URLs in the wild carry raw: spaces, controls, non-ASCII and a few
     * punctuation characters. A header's non-ASCII characters stand for single bytes; others are encoded as UTF-8.
     */
    private static String escapeForUri(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escape = c <= 0x20 || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0;
            if (escape && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb == null) {
                continue;
            }
            if (!escape) {
                sb.append(c);
            } else if (c <= 0xff) {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    sb.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
