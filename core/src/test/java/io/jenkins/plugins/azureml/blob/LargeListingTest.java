package io.jenkins.plugins.azureml.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import static io.jenkins.plugins.azureml.blob.testing.TestBlobs.upload;
import static org.assertj.core.api.Assertions.assertThat;

/** More blobs than one 5000-item page, at the service's real page size. */
class LargeListingTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @Test
    void moreThan5000BlobsAcrossRealPages() {
        BlobContainerClient container = AZURITE.createContainer("large");
        BlobContainerAsyncClient async = new BlobServiceClientBuilder().connectionString(AZURITE.connectionString())
                .buildAsyncClient().getBlobContainerAsyncClient(container.getBlobContainerName());
        int count = 5_050;
        Flux.range(0, count).flatMap(i -> async.getBlobAsyncClient(String.format("big/%05d.csv", i))
                .upload(BinaryData.fromString("x"), true), 32).blockLast();
        BlobWatch watch = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(container.getBlobContainerName()).prefix("big/")
                .startPosition(StartPosition.BEGINNING).build();
        BlobChangeDetector detector = BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(watch)
                .withConnectionString(AZURITE.connectionString())).build();
        PollResult first = detector.poll(watch, WatchState.empty());
        assertThat(first.stats().pages()).isEqualTo(2);
        assertThat(first.stats().listed()).isEqualTo(count);
        assertThat(first.changes()).hasSize(count).doesNotHaveDuplicates();
        String etag = upload(container, "big/02500.csv", "overwritten");
        upload(container, "big/zz-new.csv", "new");
        PollResult second = detector.poll(watch, first.nextState());
        assertThat(second.changes()).extracting(BlobChange::name).containsExactlyInAnyOrder("big/02500.csv",
                "big/zz-new.csv");
        assertThat(second.changes()).extracting(BlobChange::etag).contains(etag);
        assertThat(detector.poll(watch, second.nextState()).changes()).isEmpty();
    }
}
