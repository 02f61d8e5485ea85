package docsearch.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.opensearch.client.node.NodeClient;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestChannel;
import org.opensearch.rest.RestHandler;
import org.opensearch.rest.RestRequest;

/**
 * HTTP basic authentication of every REST request, with one user.
 *
 * <p>The user and password come from the environment variables {@value #USERNAME_ENV} and
 * {@value #PASSWORD_ENV} of the node's process (the launcher refuses to start without them). A request
 * without an {@code Authorization: Basic ...} header naming them is answered 401 with a
 * {@code WWW-Authenticate} challenge and never reaches its handler. The comparison is of SHA-256 digests,
 * with {@link MessageDigest#isEqual} (constant time, and the same length whatever was sent).
 *
 * <p>This guards the HTTP port only: the transport port has no authentication and is bound to loopback.
 */
public final class BasicAuthPlugin extends Plugin implements ActionPlugin {

    static final String USERNAME_ENV = "DOCSEARCH_NODE_USERNAME";
    static final String PASSWORD_ENV = "DOCSEARCH_NODE_PASSWORD";
    static final String REALM = "docsearch";

    private final byte[] expected;

    public BasicAuthPlugin() {
        this(System.getenv(USERNAME_ENV), System.getenv(PASSWORD_ENV));
    }

    BasicAuthPlugin(String username, String password) {
        String problem = problem(username, password);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        this.expected = sha256((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Why these credentials cannot be used, or null when they can. */
    static String problem(String username, String password) {
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            return "no credentials: set " + USERNAME_ENV + " and " + PASSWORD_ENV;
        }
        if (username.indexOf(':') >= 0) {
            return USERNAME_ENV + " must not contain ':'";
        }
        return null;
    }

    @Override
    public UnaryOperator<RestHandler> getRestHandlerWrapper(ThreadContext threadContext) {
        return handler -> new Guard(handler, this);
    }

    boolean authorized(String header) {
        if (header == null || header.length() < 6 || !header.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presented), expected);
    }

    static BytesRestResponse unauthorized() {
        String body = "{\"error\":{\"type\":\"security_exception\",\"reason\":\"authentication required\"},\"status\":401}";
        BytesRestResponse response = new BytesRestResponse(RestStatus.UNAUTHORIZED, "application/json; charset=UTF-8", body);
        response.addHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        return response;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A REST handler that runs only for an authenticated request. */
    static final class Guard extends RestHandler.Wrapper {
        private final BasicAuthPlugin auth;

        Guard(RestHandler delegate, BasicAuthPlugin auth) {
            super(delegate);
            this.auth = auth;
        }

        @Override
        public void handleRequest(RestRequest request, RestChannel channel, NodeClient client) throws Exception {
            if (auth.authorized(request.header("Authorization"))) {
                super.handleRequest(request, channel, client);
            } else {
                channel.sendResponse(unauthorized());
            }
        }
    }
}
