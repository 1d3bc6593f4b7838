package org.dermatrend.service;

import java.util.Arrays;
import org.dermatrend.domain.Role;

/** Who is asking: the clinic and role of the API key the request carried. */
public record Caller(String clinicId, String keyId, Role role, boolean operator) {

    /** Throws {@code forbidden} unless the caller has one of the roles. */
    public void require(String action, Role... roles) {
        if (Arrays.asList(roles).contains(role)) {
            return;
        }
        throw Failure.forbidden("An API key with the role '" + role.label() + "' may not " + action + "; it needs "
                + String.join(" or ", Arrays.stream(roles).map(Role::label).toList()) + ". Ask your clinic's admin for such a key.");
    }
}
