/**
 * Blob change detection, free of Jenkins: what the {@code azureBlob} trigger decides, tested on real Azurite.
 *
 * <p>How the trigger glue uses it, once per poll of a job:
 * <pre>{@code
 * BlobWatch watch = BlobWatch.builder()
 *         .accountUrl("https://acct.blob.core.windows.net").container("incoming").prefix("in/")
 *         .include("*.csv").exclude("tmp/**").build();         // InvalidFieldException on bad input
 * BlobContainerClient client = BlobContainerClientFactory.forWatch(watch)
 *         .httpClient(jenkinsProxyAwareHttpClient)
 *         .withTokenCredential(credential);                   // or withConnectionString(..) / withSas(..)
 * BlobPollCycle cycle = new BlobPollCycle(BlobChangeDetector.builder(client).build(),
 *         new WatchStateStore(jobDir.resolve("azure-blob-trigger-state.json")),
 *         BlobPollCycle.Mode.PER_BLOB,
 *         (changes, env) -> scheduleBuild(changes, env));      // throw to keep the old state
 * PollReport report = cycle.run(watch);
 * new PollHistory(jobDir.resolve("azure-blob-polls.jsonl"), 256 << 10).append(report.entry());
 * // the page: PollingLogView.of(history.read().entries(), zone, now, nextPoll, buildLookup)
 * }</pre>
 *
 * <p>Guarantees: a change is a (name, ETag) pair not seen before; each is reported once, none is missed, even when
 * blobs are committed while a paginated listing runs (see {@link io.jenkins.plugins.azureml.blob.BlobChangeDetector}).
 * The state is saved only after the changes were scheduled; a failed poll or scheduling leaves it unchanged.
 */
package io.jenkins.plugins.azureml.blob;
