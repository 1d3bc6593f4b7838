package org.dermatrend.service;

import java.util.Arrays;
import org.dermatrend.domain.Role;

/**
 * Who is asking: the clinic and role of the API key the request carried, or of the staff account signed
 * in to the web app ({@code staffId} set, {@code keyId} null).
 */
public record Caller(String clinicId, String keyId, Role role, boolean operator, String staffId) {

    /** An API key's holder. */
    public Caller(String clinicId, String keyId, Role role, boolean operator) {
        this(clinicId, keyId, role, operator, null);
    }

    /** A person signed in to the web app. */
    public static Caller staff(String clinicId, String staffId, Role role, boolean operator) {
        return new Caller(clinicId, null, role, operator, staffId);
    }

    /** "staff" or "key", as the audit log names the actor. */
    public String actorType() {
        return staffId != null ? "staff" : "key";
    }

    /** The staff account's or the key's id (who made a share link, a webhook). */
    public String actorId() {
        return staffId != null ? staffId : keyId;
    }

    /** Throws {@code forbidden} unless the caller has one of the roles. */
    public void require(String action, Role... roles) {
        if (Arrays.asList(roles).contains(role)) {
            return;
        }
        String needs = String.join(" or ", Arrays.stream(roles).map(Role::label).toList());
        if (staffId != null) {
            throw Failure.forbidden("Your account's role is '" + role.label() + "'; to " + action + " it needs to be " + needs
                    + ". Ask your clinic's admin.");
        }
        throw Failure.forbidden("An API key with the role '" + role.label() + "' may not " + action + "; it needs "
                + needs + ". Ask your clinic's admin for such a key.");
    }
}
