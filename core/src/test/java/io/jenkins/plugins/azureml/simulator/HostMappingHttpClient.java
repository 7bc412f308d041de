package io.jenkins.plugins.azureml.simulator;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * The transport under test clients: sends requests for Azure ML service hosts (v1 regional services, v2 batch
 * endpoint scoring hosts, Azure Resource Manager, private-link workspace hosts, in all three clouds) and the three
 * clouds' Entra ID sign-in hosts to the simulator
 * on 127.0.0.1 instead, over the same scheme, keeping the original {@code Host} header as DNS would, and refuses
 * any other non-loopback host (tests never leave the machine). Because the rewrite happens below the pipeline, the client's own rules see the production URL
 * ({@code https://westus.api.azureml.ms/...}): endpoint validation, azure-core's https-only bearer token policy and
 * the request layout are exercised exactly as in production; only DNS is replaced.
 */
public final class HostMappingHttpClient implements HttpClient {
    private static final Pattern MAPPED = Pattern.compile(
            "([a-z0-9-]+\\.)+api\\.(azureml\\.ms|ml\\.azure\\.us|ml\\.azure\\.cn)"
                    + "|login\\.(microsoftonline\\.com|microsoftonline\\.us|chinacloudapi\\.cn)"
                    + "|[a-z0-9-]+\\.[a-z0-9]+\\.inference\\.ml\\.azure\\.(com|us|cn)"
                    + "|management\\.(azure\\.com|usgovcloudapi\\.net|chinacloudapi\\.cn)"
                    + "|[a-z0-9]+\\.blob\\.core\\.(windows\\.net|usgovcloudapi\\.net|chinacloudapi\\.cn)");

    private final HttpClient delegate;
    private final int port;

    public HostMappingHttpClient(HttpClient delegate, int port) {
        this.delegate = delegate;
        this.port = port;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return send(request, Context.NONE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        HttpRequest mapped;
        try {
            mapped = map(request);
        } catch (IllegalStateException e) {
            return Mono.error(e);
        }
        return delegate.send(mapped, context);
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        return delegate.sendSync(map(request), context);
    }

    private HttpRequest map(HttpRequest request) {
        URL url = request.getUrl();
        String host = url.getHost().toLowerCase(java.util.Locale.ROOT);
        if (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")) {
            return request;
        }
        if (!MAPPED.matcher(host).matches()) {
            throw new IllegalStateException("test transport refuses to contact " + host);
        }
        try {
            URL target = new URL(url.getProtocol(), "127.0.0.1", port, url.getFile());
            HttpRequest mapped = new HttpRequest(request.getHttpMethod(), target, new com.azure.core.http.HttpHeaders(request.getHeaders()),
                    request.getBodyAsBinaryData());
            return mapped.setHeader(com.azure.core.http.HttpHeaderName.HOST, host);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
