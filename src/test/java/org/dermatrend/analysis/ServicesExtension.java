package org.dermatrend.analysis;

import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.decode.ConfigIntake;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test class's {@link Services} with the default intake, opened before its first test and closed after its last:
 * {@code @RegisterExtension static final ServicesExtension SERVICES = new ServicesExtension();}.
 */
public final class ServicesExtension implements BeforeAllCallback, AfterAllCallback {
    private Services services;

    @Override
    public void beforeAll(ExtensionContext context) {
        OpenCvNatives.load();
        services = Services.create(ConfigIntake.defaults());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (services != null) {
            services.close();
            services = null;
        }
    }

    /** The open services; only between the class's first and last test. */
    public Services services() {
        if (services == null) {
            throw new IllegalStateException("services are open only while the test class runs");
        }
        return services;
    }
}
