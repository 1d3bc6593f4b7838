package org.dermatrend.cli;

import org.dermatrend.decode.ConfigIntake;
import picocli.CommandLine.Option;

/** Intake limits shared by every command that reads photos. */
final class IntakeOptions {
    @Option(names = "--max-megapixels", defaultValue = "50", description = "Refuse images with more pixels than this (default: ${DEFAULT-VALUE}).")
    double maxMegapixels;

    @Option(names = "--max-bytes", defaultValue = "40000000", description = "Refuse files larger than this many bytes (default: ${DEFAULT-VALUE}).")
    long maxBytes;

    @Option(names = "--min-side", defaultValue = "512", description = "Refuse images whose shorter side has fewer pixels (default: ${DEFAULT-VALUE}).")
    int minSide;

    ConfigIntake toConfig() {
        return new ConfigIntake(Math.round(maxMegapixels * 1e6), maxBytes, minSide);
    }
}
