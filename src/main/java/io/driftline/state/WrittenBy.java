package io.driftline.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The Driftline and MOA versions that wrote a model snapshot or a model bundle: what an upgrade
 * may have changed when one cannot be read back, named in the reset it causes.
 *
 * @param driftline Driftline's version (the build's), or "unknown" for snapshots written before versions were recorded
 * @param moa       the MOA version Driftline was built with, or "unknown" likewise
 */
public record WrittenBy(String driftline, String moa) {

    private static final WrittenBy CURRENT = load();

    /** Snapshots of format 2 did not record who wrote them. */
    static final WrittenBy UNKNOWN = new WrittenBy("unknown", "unknown");

    /** This build's versions. */
    public static WrittenBy current() {
        return CURRENT;
    }

    private static WrittenBy load() {
        Properties versions = new Properties();
        try (InputStream in = WrittenBy.class.getResourceAsStream("/io/driftline/versions.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new WrittenBy(versions.getProperty("driftline", "unknown"), versions.getProperty("moa", "unknown"));
    }

    @Override
    public String toString() {
        return "Driftline " + driftline + " with MOA " + moa;
    }
}
