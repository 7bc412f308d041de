package io.jenkins.plugins.azureml.simulator;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * A {@link TokenCredential} whose tokens the simulator accepts, for the requested scope, valid for
 * {@link #lifetime(Duration)}. The expiry told to azure-core is on real time (azure-core's token cache reads the
 * system clock); the simulator checks it on its own clock, so advancing that clock makes the token expire
 * server-side while the client still holds it (like clock skew or a revoked token).
 */
public final class SimulatorCredential implements TokenCredential {
    private final TokenIssuer issuer;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Duration lifetime = Duration.ofHours(1);

    SimulatorCredential(TokenIssuer issuer) {
        this.issuer = issuer;
    }

    /** How long newly issued tokens live (default one hour). */
    public SimulatorCredential lifetime(Duration lifetime) {
        this.lifetime = lifetime;
        return this;
    }

    /** How many times a token was asked for. */
    public int tokenRequests() {
        return requests.get();
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromSupplier(() -> {
            requests.incrementAndGet();
            Duration life = lifetime;
            TokenIssuer.IssuedToken token = issuer.issue(String.join(" ", request.getScopes()), life);
            return new AccessToken(token.value(), OffsetDateTime.now(ZoneOffset.UTC).plus(life));
        });
    }
}
