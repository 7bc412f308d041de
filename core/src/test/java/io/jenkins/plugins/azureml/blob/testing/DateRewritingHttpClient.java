package io.jenkins.plugins.azureml.blob.testing;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP client with a front end's bad clock: while {@link #shiftListingDates(Duration)} is set, the
 * {@code Date} header of every container listing answer is moved by that much ({@code null}: removed), as a proxy or
 * gateway with a skewed clock would. Everything else reaches Azurite unchanged.
 */
public final class DateRewritingHttpClient implements HttpClient {
    /** Marks "remove the header" in {@link #shift}. */
    private static final Duration REMOVE = Duration.ofNanos(Long.MIN_VALUE);

    private final HttpClient delegate = HttpClient.createDefault();
    private final AtomicReference<Duration> shift = new AtomicReference<>();

    /** Moves the Date of listing answers by {@code by}; {@code Duration.ZERO} or null passes them unchanged. */
    public void shiftListingDates(Duration by) {
        shift.set(by == null || by.isZero() ? null : by);
    }

    /** Removes the Date header from listing answers. */
    public void dropListingDates() {
        shift.set(REMOVE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return delegate.send(request).map(this::rewrite);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return delegate.send(request, context).map(this::rewrite);
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        return rewrite(delegate.sendSync(request, context));
    }

    private HttpResponse rewrite(HttpResponse response) {
        Duration by = shift.get();
        String query = response.getRequest().getUrl().getQuery();
        if (by == null || query == null || !query.contains("comp=list")) {
            return response;
        }
        HttpHeaders headers = new HttpHeaders(response.getHeaders());
        if (by == REMOVE) {
            headers.remove(HttpHeaderName.DATE);
        } else {
            String date = response.getHeaders().getValue(HttpHeaderName.DATE);
            if (date != null) {
                ZonedDateTime moved = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).plus(by);
                headers.set(HttpHeaderName.DATE,
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(moved.withZoneSameInstant(ZoneOffset.UTC)));
            }
        }
        return new Rewritten(response, headers);
    }

    private static final class Rewritten extends HttpResponse {
        private final HttpResponse delegate;
        private final HttpHeaders headers;

        Rewritten(HttpResponse delegate, HttpHeaders headers) {
            super(delegate.getRequest());
            this.delegate = delegate;
            this.headers = headers;
        }

        @Override
        public int getStatusCode() {
            return delegate.getStatusCode();
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(name);
        }

        @Override
        public String getHeaderValue(HttpHeaderName name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return delegate.getBody();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return delegate.getBodyAsByteArray();
        }

        @Override
        public Mono<String> getBodyAsString() {
            return delegate.getBodyAsString();
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return delegate.getBodyAsString(charset);
        }

        @Override
        public com.azure.core.util.BinaryData getBodyAsBinaryData() {
            return delegate.getBodyAsBinaryData();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
