package io.isoworker.runtime.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;

/** A {@code multipart/form-data} body in memory, decoded into its parts (Netty's decoder). */
final class MultipartBody {

    /**
     * One part.
     *
     * @param name        the form field name
     * @param contentType the part's Content-Type, or null
     * @param file        true for a part with a filename
     */
    record Part(String name, String contentType, boolean file, byte[] content) {

        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /** A {@code boundary} parameter of 1 to 70 characters (RFC 2046), quoted or not. */
    private static final Pattern BOUNDARY = Pattern.compile(
            "(?i);\\s*boundary=(\"[^\"]{1,70}\"|[^\";\\s]{1,70})(\\s*(;|$))");

    private MultipartBody() {
    }

    static boolean is(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).trim().startsWith("multipart/form-data");
    }

    static List<Part> parse(String contentType, byte[] body) throws AdminException {
        if (!BOUNDARY.matcher(contentType).find()) {
            throw new AdminException(400, "Malformed multipart body: the Content-Type has no boundary (1 to 70 characters).");
        }
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        List<Part> parts = new ArrayList<>();
        HttpPostMultipartRequestDecoder decoder = null;
        try {
            decoder = new HttpPostMultipartRequestDecoder(new DefaultHttpDataFactory(false), request,
                    StandardCharsets.UTF_8);
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                if (data instanceof FileUpload file) {
                    String type = file.getContentType();
                    parts.add(new Part(file.getName(), type == null || type.isBlank() ? null : type, true, file.get()));
                } else if (data instanceof Attribute attribute) {
                    parts.add(new Part(attribute.getName(), null, false, attribute.get()));
                }
            }
            return parts;
        } catch (RuntimeException | IOException e) {
            // the decoder's errors, and whatever else it throws on a body it cannot make sense of
            throw new AdminException(400, "Malformed multipart body: " + e.getMessage());
        } finally {
            if (decoder != null) {
                decoder.destroy();
            }
            request.release();
        }
    }
}
