package io.statetrail.core.event;

import io.statetrail.core.subject.Subject;

/** The OIDC side of an {@code AssumeRoleWithWebIdentity}: who GitHub (or another issuer) says the caller is. */
public record WebIdentity(Subject subject, String provider, String audience) {
}
