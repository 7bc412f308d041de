package io.jenkins.plugins.azureml.blob.testing;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the installed Azurite package and the Node.js that runs it are. The service's JavaScript entry point is read
 * from the {@code bin} map of Azurite's own {@code package.json} and started with {@code node}: npm's
 * {@code node_modules/.bin} entries are symbolic links to JavaScript on Unix but {@code .cmd}/{@code .ps1} shims on
 * Windows, which {@code node} cannot run.
 *
 * <p>System properties: {@code azurite.home}, the {@code node_modules} folder holding {@code azurite} (default
 * {@code node_modules}, i.e. {@code core/node_modules} in the engine build); {@code azurite.node}, the folder of the
 * Node.js installation to use (the plugin build's, which the plugin parent's node-execution profile installs), or
 * unset for {@code node} on the PATH.
 */
final class AzuriteInstall {
    private AzuriteInstall() {
    }

    /** The {@code node} command: from {@code azurite.node} if set, else the one on the PATH. */
    static String node() {
        String dir = System.getProperty("azurite.node", "");
        if (dir.isBlank()) {
            return "node";
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return Path.of(dir).resolve(windows ? "node.exe" : "node").toString();
    }

    /**
     * @param bin a command Azurite declares, e.g. {@code azurite-blob}
     * @return the JavaScript file that command runs
     */
    static Path entryPoint(String bin) {
        Path home = Path.of(System.getProperty("azurite.home", "node_modules"));
        Path packageJson = home.resolve("azurite").resolve("package.json");
        if (!Files.exists(packageJson)) {
            throw new IllegalStateException("Azurite is not installed at " + packageJson.getParent().toAbsolutePath()
                    + ": run 'npm ci' in core/ (the Maven build does this when core/node_modules is missing; it needs "
                    + "Node.js 20+ and npm, e.g. apt-get install nodejs npm)");
        }
        try {
            String script = binEntry(Files.readString(packageJson, StandardCharsets.UTF_8), bin);
            if (script == null) {
                throw new IllegalStateException(packageJson + " declares no command '" + bin + "'");
            }
            return packageJson.getParent().resolve(script).normalize().toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path that {@code package.json}'s {@code bin} map gives for {@code name}, or null. */
    static String binEntry(String packageJson, String name) throws IOException {
        try (JsonReader reader = JsonProviders.createReader(packageJson)) {
            reader.nextToken();
            while (reader.nextToken() == JsonToken.FIELD_NAME) {
                String field = reader.getFieldName();
                reader.nextToken();
                if ("bin".equals(field) && reader.currentToken() == JsonToken.START_OBJECT) {
                    String found = null;
                    while (reader.nextToken() == JsonToken.FIELD_NAME) {
                        String command = reader.getFieldName();
                        reader.nextToken();
                        if (command.equals(name)) {
                            found = reader.getString();
                        }
                    }
                    return found;
                }
                reader.skipChildren();
            }
            return null;
        }
    }
}
