package io.jenkins.plugins.azureml.client.implementation;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import reactor.core.publisher.Mono;

/**
 * Last check before the token policy: refuses any request whose URL may not receive a token, whatever built it.
 * Keeps a custom pipeline or a future code path from leaking a token to another host.
 */
public final class AzureHostGuardPolicy implements HttpPipelinePolicy {
    private final EndpointRules rules;

    public AzureHostGuardPolicy(EndpointRules rules) {
        this.rules = rules;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        try {
            rules.check(context.getHttpRequest().getUrl().toString());
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
        return next.process();
    }
}
