package docsearch.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.percolator.PercolatorPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Starts a single OpenSearch node in this JVM with the transport-netty4, analysis-common, lang-painless,
 * reindex and mapper-extras modules and the k-NN plugin (vector fields, Lucene engine) loaded from the classpath (no distribution, no plugin directories), and
 * {@link BasicAuthPlugin}: every HTTP request needs the user and password of the environment variables
 * {@code DOCSEARCH_NODE_USERNAME} and {@code DOCSEARCH_NODE_PASSWORD}, without which the node does not start.
 *
 * <p>Settings come from (later wins): built-in defaults, system properties named
 * {@code docsearch.node.<setting>}, then arguments {@code -Ekey=value}, {@code -E key=value},
 * {@code --key=value} or {@code key=value}. {@code --plugins=a.B,c.D} adds more plugin classes.
 * The node binds to 127.0.0.1 (a host other than loopback is refused: basic auth over plain HTTP, and a
 * transport port without authentication) and runs with {@code discovery.type=single-node} unless overridden.
 * Deleting indices needs their names ({@code action.destructive_requires_name}). Directories it creates are
 * private to its user ({@code rwx------}).
 * SIGTERM (or SIGINT) closes the node through a shutdown hook.
 */
public final class EmbeddedNode {

    static {
        // Must be set before log4j or netty classes initialise (same values as OpenSearch's jvm.options).
        setDefaultProperty("log4j.shutdownHookEnabled", "false"); // our hook shuts log4j down after the node
        setDefaultProperty("log4j2.disable.jmx", "true");
        setDefaultProperty("opensearch.set.netty.runtime.available.processors", "false");
        setDefaultProperty("io.netty.noUnsafe", "true");
        setDefaultProperty("io.netty.noKeySetOptimization", "true");
        setDefaultProperty("io.netty.recycler.maxCapacityPerThread", "0");
        setDefaultProperty("io.netty.allocator.numDirectArenas", "0");
        setDefaultProperty("jna.nosys", "true");
        setDefaultProperty("java.awt.headless", "true");
    }

    private static final String PROPERTY_PREFIX = "docsearch.node.";
    private static final String LOG_CONFIG_RESOURCE = "docsearch/node/log4j2.properties";

    private static final List<Class<? extends Plugin>> DEFAULT_PLUGINS =
        List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class, ReindexPlugin.class,
                MapperExtrasPlugin.class, PercolatorPlugin.class, BasicAuthPlugin.class);

    /** Plugins unpacked beside the others at package time, not compiled against: loaded by name. */
    private static final List<String> UNPACKED_PLUGINS = List.of("org.opensearch.knn.plugin.KNNPlugin");

    /** Settings that name an address to bind to; each must be loopback. */
    private static final List<String> HOST_SETTINGS =
        List.of("network.host", "network.bind_host", "network.publish_host", "http.host", "http.bind_host",
                "http.publish_host", "transport.host", "transport.bind_host", "transport.publish_host");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]", "_local_");

    private EmbeddedNode() {}

    /** A Node that takes plugin classes from the classpath (that constructor is protected in Node). */
    static final class ClasspathPluginNode extends Node {
        ClasspathPluginNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        List<Class<? extends Plugin>> plugins = new ArrayList<>(DEFAULT_PLUGINS);
        for (String name : UNPACKED_PLUGINS) {
            plugins.add(Class.forName(name).asSubclass(Plugin.class));
        }
        Settings settings = buildSettings(args, plugins);
        String refusal = refusal(settings);
        if (refusal != null) {
            System.err.println("node not started: " + refusal);
            System.exit(2);
        }

        Path home = Paths.get(settings.get("path.home")).toAbsolutePath();
        Path config = home.resolve("config");
        createPrivateDirectories(config);
        createPrivateDirectories(home.resolve("modules"));
        createPrivateDirectories(home.resolve("plugins"));
        createPrivateDirectories(Paths.get(settings.get("path.logs")));
        for (String dataPath : settings.getAsList("path.data")) {
            createPrivateDirectories(Paths.get(dataPath));
        }
        installLogConfig(config.resolve("log4j2.properties"));

        // LogConfigurator redirects System.out/err into log4j; keep the real stderr for a one-line failure notice.
        PrintStream consoleErr = System.err;
        String nodeName = settings.get("node.name");
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> nodeName);
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(nodeName);
        LogConfigurator.configure(environment);
        Logger logger = LogManager.getLogger(EmbeddedNode.class);

        Node node = new ClasspathPluginNode(environment, plugins);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                logger.info("shutdown requested, closing node");
                node.close();
                if (!node.awaitClose(30, TimeUnit.SECONDS)) {
                    logger.warn("node did not close within 30s");
                }
                logger.info("node closed");
            } catch (Exception e) {
                logger.error("error while closing node", e);
            } finally {
                closed.countDown();
                Configurator.shutdown((LoggerContext) LogManager.getContext(false));
            }
        }, "docsearch-node-shutdown"));

        try {
            node.start();
        } catch (Exception e) {
            logger.error("node failed to start", e);
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            consoleErr.println("node failed to start: " + e + (root != e ? " (cause: " + root + ")" : ""));
            consoleErr.flush();
            System.exit(1);
        }
        logger.info("docsearch embedded node started (http.port={}, transport.port={})",
            settings.get("http.port"), settings.get("transport.port"));
        // OpenSearch threads are daemons: keep the JVM alive until the shutdown hook has closed the node.
        closed.await();
    }

    static Settings buildSettings(String[] args, List<Class<? extends Plugin>> plugins) throws ClassNotFoundException {
        Settings.Builder b = Settings.builder()
            .put("cluster.name", "docsearch")
            .put("node.name", "docsearch-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", "9200")
            .put("transport.port", "9300")
            .put("discovery.type", "single-node")
            .put("action.destructive_requires_name", "true")
            .put("path.home", ".");

        Properties props = System.getProperties();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                b.put(name.substring(PROPERTY_PREFIX.length()), props.getProperty(name));
            }
        }

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String kv;
            if (arg.equals("-E") && i + 1 < args.length) {
                kv = args[++i];
            } else if (arg.startsWith("-E")) {
                kv = arg.substring(2);
            } else if (arg.startsWith("--")) {
                kv = arg.substring(2);
            } else {
                kv = arg;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            String key = kv.substring(0, eq);
            String value = kv.substring(eq + 1);
            if (key.equals("plugins")) {
                for (String cls : value.split(",")) {
                    if (!cls.isBlank()) {
                        plugins.add(Class.forName(cls.trim()).asSubclass(Plugin.class));
                    }
                }
            } else {
                b.put(key, value);
            }
        }

        Path home = Paths.get(b.get("path.home")).toAbsolutePath().normalize();
        b.put("path.home", home.toString());
        if (b.get("path.data") == null) {
            b.put("path.data", home.resolve("data").toString());
        }
        if (b.get("path.logs") == null) {
            b.put("path.logs", home.resolve("logs").toString());
        }
        return b.build();
    }

    /** Why the node must not start with these settings and this environment, or null. */
    static String refusal(Settings settings) {
        for (String key : HOST_SETTINGS) {
            for (String host : settings.getAsList(key)) {
                if (!LOOPBACK.contains(host.trim())) {
                    return key + "=" + host + " is not loopback; this node serves plain HTTP and binds to loopback only";
                }
            }
        }
        return BasicAuthPlugin.problem(System.getenv(BasicAuthPlugin.USERNAME_ENV),
                                       System.getenv(BasicAuthPlugin.PASSWORD_ENV));
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private static void installLogConfig(Path target) throws IOException {
        try (InputStream in = EmbeddedNode.class.getClassLoader().getResourceAsStream(LOG_CONFIG_RESOURCE)) {
            if (in == null) {
                throw new IOException("missing classpath resource " + LOG_CONFIG_RESOURCE);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void setDefaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
