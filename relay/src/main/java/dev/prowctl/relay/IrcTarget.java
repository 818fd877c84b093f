package dev.prowctl.relay;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the relay speaks: {@code ircs://host[:6697]/#channel[?key=KEY]} (TLS) or {@code irc://host[:6667]/#channel}.
 * The {@code #} may be written {@code %23}; a channel given without one gets it.
 */
public record IrcTarget(boolean tls, String host, int port, String channel, String key) {

    public static IrcTarget parse(String url) {
        String text = url.strip();
        // "#" starts a URI fragment: read it as the channel.
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an IRC URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("irc") || scheme.equals("ircs"))) {
            throw new IllegalArgumentException("IRC URL must start with ircs:// (TLS) or irc://, not " + url);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("IRC URL has no host: " + url);
        }
        boolean tls = scheme.equals("ircs");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 6697 : 6667;
        String channel;
        if (uri.getRawFragment() != null && (uri.getPath() == null || uri.getPath().equals("/")
                || uri.getPath().isEmpty())) {
            channel = "#" + uri.getFragment();
        } else {
            String path = uri.getPath() == null ? "" : uri.getPath();
            channel = URLDecoder.decode(path.startsWith("/") ? path.substring(1) : path, StandardCharsets.UTF_8);
        }
        String key = null;
        String query = uri.getRawQuery();
        if (uri.getRawFragment() != null && channel.contains("?")) {
            int q = channel.indexOf('?');
            query = channel.substring(q + 1);
            channel = channel.substring(0, q);
        }
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("key=")) {
                    key = URLDecoder.decode(pair.substring(4), StandardCharsets.UTF_8);
                }
            }
        }
        if (channel.isEmpty() || channel.equals("#")) {
            throw new IllegalArgumentException("IRC URL names no channel: " + url + " (e.g. ircs://irc.libera.chat/#ops)");
        }
        if (!channel.startsWith("#") && !channel.startsWith("&")) {
            channel = "#" + channel;
        }
        if (channel.chars().anyMatch(c -> c == ' ' || c == ',' || c == 7 || c < 0x20)) {
            throw new IllegalArgumentException("invalid IRC channel name: " + channel);
        }
        return new IrcTarget(tls, uri.getHost(), port, channel, key);
    }

    /** For logs and /healthz: no key. */
    @Override
    public String toString() {
        return (tls ? "ircs://" : "irc://") + host + ":" + port + "/" + channel;
    }
}
