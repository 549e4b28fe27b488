package io.github.dl4jctc.zoo;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code --version}: the Maven project version, written into {@code version.properties} by resource filtering. */
final class ZooVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[]{"dl4j-ctc " + version(),
                "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"};
    }

    static String version() {
        try (InputStream in = ZooVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties: got nothing on the class path,"
                        + " expected the resource built by Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
    }
}
