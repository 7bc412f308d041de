package io.jenkins.plugins.azureml.project;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository's top folder from the working directory, which is {@code core/} in the engine build and
 * the top folder itself in the plugin build (which also runs these tests).
 */
final class ProjectFiles {
    private ProjectFiles() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("core/pom.xml")) && Files.isRegularFile(d.resolve(".ci/run"))) {
                return d;
            }
        }
        throw new IllegalStateException("No folder above " + dir + " holds core/pom.xml and .ci/run");
    }
}
