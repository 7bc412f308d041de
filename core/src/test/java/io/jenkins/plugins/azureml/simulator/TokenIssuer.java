package io.jenkins.plugins.azureml.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator's token authority: issues opaque bearer tokens with a scope and an expiry on the simulator's clock,
 * and checks the ones that come back. Like Entra ID it tolerates a few seconds of clock skew.
 */
public final class TokenIssuer {
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    /** A token the simulator handed out. */
    public record IssuedToken(int serial, String value, String scope, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedToken{#" + serial + ", " + scope + ", expires " + expiresAt + "}"; // never the value
        }
    }

    /** Result of checking an Authorization header: the token's serial, or why it is refused. */
    public record Check(int serial, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private final Clock clock;
    private final AtomicInteger serials = new AtomicInteger();
    private final Map<String, IssuedToken> byValue = new ConcurrentHashMap<>();
    private final List<IssuedToken> issued = new CopyOnWriteArrayList<>();
    private volatile boolean acceptAnyToken;

    TokenIssuer(Clock clock) {
        this.clock = clock;
    }

    public IssuedToken issue(String scope, Duration lifetime) {
        IssuedToken token = new IssuedToken(serials.incrementAndGet(), "sim-" + UUID.randomUUID(), scope,
                clock.instant().plus(lifetime));
        byValue.put(token.value(), token);
        issued.add(token);
        return token;
    }

    /** Every token issued so far, oldest first. */
    public List<IssuedToken> issued() {
        return List.copyOf(issued);
    }

    /** For a local trial with a real Azure credential: any non-empty bearer token is accepted. */
    void acceptAnyToken(boolean accept) {
        this.acceptAnyToken = accept;
    }

    Check check(String authorization, List<String> acceptedScopes) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            return new Check(0, "No bearer token in the Authorization header.");
        }
        IssuedToken token = byValue.get(authorization.substring(7).trim());
        if (token == null) {
            return acceptAnyToken ? new Check(0, null) : new Check(0, "The token was not issued by this authority.");
        }
        if (clock.instant().isAfter(token.expiresAt().plus(CLOCK_SKEW))) {
            return new Check(token.serial(), "The token expired at " + token.expiresAt() + ".");
        }
        if (!acceptedScopes.contains(token.scope())) {
            return new Check(token.serial(), "The token's audience (" + token.scope() + ") is not accepted.");
        }
        return new Check(token.serial(), null);
    }
}
