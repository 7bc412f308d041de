package io.jenkins.plugins.azureml.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;

/**
 * The App Service managed identity endpoint ({@value #PATH}, contracts section 5), so a real azure-identity
 * {@code ManagedIdentityCredential} (and azure-credentials' "Azure Managed Identity") gets its tokens from the
 * simulator when a JVM starts with {@code IDENTITY_ENDPOINT} pointing here and {@code IDENTITY_HEADER} set to
 * {@link AzureMlSimulator#managedIdentityHeader()}. What msal4j 1.23.1 sends (read from its bytecode):
 * {@code GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource={scope without "/.default"}} (azure-identity
 * 1.18.3 sends {@code https://management.azure.com}, no trailing slash; both forms are accepted) with header
 * {@code X-IDENTITY-HEADER}, over plain http too (no scheme check for this source), and parses {@code expires_on}
 * as epoch seconds or ISO-8601. Tokens come from the simulator's one {@link TokenIssuer}, with audience
 * {@code {resource}/.default}, so the service routes accept them like a service principal's.
 */
final class ManagedIdentityEndpoint {
    /** Served on the loopback host only. */
    static final String PATH = "/msi/token";
    static final String API_VERSION = "2019-08-01";
    static final String HEADER = "X-IDENTITY-HEADER";
    private static final Duration LIFETIME = Duration.ofHours(1);

    private final AzureMlSimulator sim;

    ManagedIdentityEndpoint(AzureMlSimulator sim) {
        this.sim = sim;
    }

    void answer(HttpExchange exchange) throws IOException {
        Map<String, String> query = SimulatorRoutes.query(exchange.getRequestURI().getRawQuery());
        String header = exchange.getRequestHeaders().getFirst(HEADER);
        if (header == null || !header.equals(sim.managedIdentityHeader())) {
            SimulatorRoutes.send(exchange, 401, SimulatorJson.oauthError("invalid_identity_header",
                    "The " + HEADER + " header is missing or is not this endpoint's IDENTITY_HEADER."));
            return;
        }
        if (!API_VERSION.equals(query.get("api-version"))) {
            SimulatorRoutes.send(exchange, 400, SimulatorJson.oauthError("invalid_request",
                    "api-version must be " + API_VERSION + "."));
            return;
        }
        String audience = audience(query.get("resource"));
        if (audience == null) {
            SimulatorRoutes.send(exchange, 400, SimulatorJson.oauthError("invalid_resource",
                    "resource must be an https resource URI such as https://management.azure.com/."));
            return;
        }
        TokenIssuer.IssuedToken token = sim.tokens().issue(audience, LIFETIME);
        SimulatorRoutes.send(exchange, 200,
                SimulatorJson.managedIdentityToken(token.value(), token.expiresAt(), query.get("resource")));
    }

    /** {@code https://management.azure.com} (with or without a trailing slash) becomes {@code https://management.azure.com/.default}. */
    static String audience(String resource) {
        if (resource == null || resource.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(resource.trim());
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                return null;
            }
        } catch (URISyntaxException e) {
            return null;
        }
        String base = resource.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/.default";
    }
}
