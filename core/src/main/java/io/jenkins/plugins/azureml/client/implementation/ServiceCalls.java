package io.jenkins.plugins.azureml.client.implementation;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Sends one request of a client call the way every call goes out: the URL checked against the host rules and the
 * credential's cloud before any token is requested, the token audience chosen for the call, the body read and the
 * response closed, and any failure translated into an {@code AzureMlException} naming the operation.
 */
public final class ServiceCalls {
    private final EndpointRules rules;
    private final CredentialCloudCheck cloudCheck;
    private final ErrorTranslator errors;

    public ServiceCalls(EndpointRules rules, CredentialCloudCheck cloudCheck, ErrorTranslator errors) {
        this.rules = rules;
        this.cloudCheck = cloudCheck;
        this.errors = errors;
    }

    /**
     * @param pipeline the pipeline to send on (submissions and reads retry differently)
     * @param request the request
     * @param audience the token audience the request's host takes
     * @param op what the call does, for errors
     * @param onSuccess reads a 2xx body
     * @return the read value, or an error translated for {@code op}
     */
    public <T> Mono<T> send(HttpPipeline pipeline, HttpRequest request, TokenAudience audience, Operation op,
                            Function<byte[], T> onSuccess) {
        // Before any token is requested: a credential of another cloud could only fail later, less clearly.
        cloudCheck.check(rules.check(request.getUrl().toString()), rules);
        return pipeline.send(request, new Context(AudienceTokenPolicy.AUDIENCE_KEY, audience))
                .flatMap(response -> response.getBodyAsByteArray().defaultIfEmpty(new byte[0])
                        .map(body -> handle(response, body, op, onSuccess))
                        .doFinally(signal -> response.close()))
                .onErrorMap(t -> errors.fromThrowable(op, t));
    }

    private <T> T handle(HttpResponse response, byte[] body, Operation op, Function<byte[], T> onSuccess) {
        int status = response.getStatusCode();
        if (status >= 200 && status < 300) {
            return onSuccess.apply(body);
        }
        throw errors.fromResponse(op, status, response.getHeaders(), body);
    }
}
