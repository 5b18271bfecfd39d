package io.ferry.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.MavenArtifactUrlReference;
import org.ops4j.pax.exam.options.MavenUrlReference;

/**
 * Pax Exam options shared by the suites. Runs on the host side only (from {@code @Configuration}).
 */
final class FerryOptions {
    static final String GROUP = "io.ferry";
    private static final String PAX_URL_CFG = "etc/org.ops4j.pax.url.mvn.cfg";

    private FerryOptions() {
    }

    /** Where a suite's framework keeps its files: under target/, one directory per suite. */
    static File workDir(Class<?> suite) {
        return new File("target/paxexam/" + suite.getSimpleName());
    }

    /**
     * A Ferry bundle: the jar this reactor build just made (bundles/NAME/target), or the one in
     * the local repository when the module was built on its own.
     */
    static Option ferryBundle(String folder) {
        String artifactId = GROUP + "." + folder;
        String version = System.getProperty("ferry.version");
        File jar = new File(System.getProperty("ferry.reactor.root", ".."),
                "bundles/" + folder + "/target/" + artifactId + "-" + version + ".jar");
        if (version != null && jar.isFile()) {
            return bundle(jar.toURI().toString());
        }
        return mavenBundle(GROUP, artifactId).versionAsInProject();
    }

    /**
     * The native container's runtime: slf4j, DS, Configuration Admin, JNA, the Ferry api and
     * core bundles, JUnit for the probe; logging at WARN; files under target/.
     */
    static Option felixWithCore(Class<?> suite) {
        return composite(
                workingDirectory(workDir(suite).getPath()),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"),
                mavenBundle("org.slf4j", "slf4j-api").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("net.java.dev.jna", "jna").versionAsInProject(),
                ferryBundle("api"),
                ferryBundle("core"),
                junitBundles());
    }

    /**
     * A stock Karaf 4.4 (unpacked under target/, logging at WARN, no local or remote console) that
     * resolves from the local repository (where {@code mvn install} put the Ferry bundles) and Maven
     * Central only — Karaf's default also lists the Apache snapshots repository — and installs
     * {@code feature} from the features module's repository at boot.
     *
     * @param configuration more options applied before the feature installs, e.g. etc/ files
     */
    static Option karafWithFeature(Class<?> suite, String feature, Option... configuration) {
        MavenArtifactUrlReference karaf = maven().groupId("org.apache.karaf").artifactId("apache-karaf")
                .type("tar.gz").versionAsInProject();
        MavenUrlReference ferryFeatures = maven().groupId(GROUP).artifactId("io.ferry.features")
                .type("xml").classifier("features").versionAsInProject();
        String localRepository = System.getProperty("maven.repo.local",
                System.getProperty("user.home") + "/.m2/repository");
        return composite(
                karafDistributionConfiguration().frameworkUrl(karaf).name("Apache Karaf")
                        .unpackDirectory(workDir(suite)).useDeployFolder(false),
                logLevel(LogLevel.WARN),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                editConfigurationFilePut(PAX_URL_CFG, "org.ops4j.pax.url.mvn.localRepository", localRepository),
                editConfigurationFilePut(PAX_URL_CFG, "org.ops4j.pax.url.mvn.repositories",
                        "https://repo.maven.apache.org/maven2@id=central"),
                composite(configuration),
                features(ferryFeatures, feature));
    }
}
