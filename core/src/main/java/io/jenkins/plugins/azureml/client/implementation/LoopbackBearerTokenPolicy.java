package io.jenkins.plugins.azureml.client.implementation;

import com.azure.core.credential.SimpleTokenCache;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.net.URL;
import reactor.core.publisher.Mono;

/**
 * Only installed when the builder's {@code allowInsecureLoopback(true)} is set (tests, local trials). azure-core's
 * bearer policy refuses plain http, so for {@code http://127.0.0.1|localhost|[::1]} this policy adds the token
 * itself; every other request goes through azure-core's {@link BearerTokenAuthenticationPolicy} unchanged.
 */
public final class LoopbackBearerTokenPolicy implements HttpPipelinePolicy {
    private final BearerTokenAuthenticationPolicy azurePolicy;
    private final SimpleTokenCache loopbackTokens;

    public LoopbackBearerTokenPolicy(TokenCredential credential, String scope) {
        this.azurePolicy = new BearerTokenAuthenticationPolicy(credential, scope);
        TokenRequestContext request = new TokenRequestContext().addScopes(scope);
        this.loopbackTokens = new SimpleTokenCache(() -> credential.getToken(request));
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        URL url = context.getHttpRequest().getUrl();
        boolean loopbackHttp = "http".equals(url.getProtocol())
                && (url.getHost().equals("127.0.0.1") || url.getHost().equals("localhost")
                || url.getHost().equals("[::1]"));
        if (!loopbackHttp) {
            return azurePolicy.process(context, next);
        }
        return loopbackTokens.getToken().flatMap(token -> {
            context.getHttpRequest().setHeader(com.azure.core.http.HttpHeaderName.AUTHORIZATION,
                    "Bearer " + token.getToken());
            return next.process();
        });
    }
}
