package io.driftline.cli;

import io.driftline.state.WrittenBy;
import picocli.CommandLine.IVersionProvider;

/** The build's Driftline and MOA versions: those its model snapshots and bundles record. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        WrittenBy versions = WrittenBy.current();
        return new String[] {"driftline " + versions.driftline() + " (MOA " + versions.moa() + ")"};
    }
}
