package io.ferry.pldm.component;

import java.io.File;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/**
 * Where the file-type handlers keep their files when their configuration names no base directory:
 * <ol>
 *   <li>{@code ${ferry.data}/pldm/<type>} when the framework (or system) property
 *       {@value #DATA_PROPERTY} is set — the node's data directory;</li>
 *   <li>otherwise {@code <bundle data area>/pldm/<type>} — the framework's persistent storage for
 *       this bundle ({@link BundleContext#getDataFile}), so two frameworks on one machine (a node
 *       and an integration test) never share files;</li>
 *   <li>otherwise (a framework without file system support) {@code ${java.io.tmpdir}/ferry-pldm-<user>/<type>}.</li>
 * </ol>
 * Stateless; any thread.
 */
final class DataDirectories {
    /** Framework or system property: the node's data directory. */
    static final String DATA_PROPERTY = "ferry.data";

    private DataDirectories() {
    }

    /** @return the default base directory of {@code type} (such as {@code "pel"}). */
    static Path defaultBase(BundleContext context, String type) {
        String data = context == null ? System.getProperty(DATA_PROPERTY) : context.getProperty(DATA_PROPERTY);
        if (data != null && !data.isBlank()) {
            return Path.of(data.trim(), "pldm", type).toAbsolutePath().normalize();
        }
        File area = context == null ? null : context.getDataFile("pldm");
        if (area != null) {
            return area.toPath().resolve(type).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "ferry-pldm-" + System.getProperty("user.name", "user"), type)
                .toAbsolutePath().normalize();
    }

    /** @return {@code configured} when set, else {@link #defaultBase}. */
    static Path base(BundleContext context, Path configured, String type) {
        return configured != null ? configured : defaultBase(context, type);
    }
}
