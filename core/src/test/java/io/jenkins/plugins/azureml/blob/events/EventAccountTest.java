package io.jenkins.plugins.azureml.blob.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which account an event comes from, whatever the schema, API and endpoint form. */
class EventAccountTest {
    private static final String TOPIC = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/"
            + "storageAccounts/";

    private static BlobEvent event(String account, String url, String blobUrl) {
        return new BlobEvent("id", account == null ? null : TOPIC + account, "incoming", "data/a.csv", "0x1", 1, url,
                blobUrl, "PutBlob", null, BlobEvent.Schema.EVENT_GRID);
    }

    @Test
    void blobAndDfsHostsOfTheWatchedAccountAreCovered() {
        EventAccount watched = new EventAccount("https://acct.blob.core.windows.net", "incoming");
        assertThat(watched.covers(event("acct", "https://acct.blob.core.windows.net/incoming/data/a.csv", null)))
                .isTrue();
        assertThat(watched.covers(event("acct", "https://acct.dfs.core.windows.net/incoming/data/a.csv",
                "https://acct.blob.core.windows.net/incoming/data/a.csv"))).as("Data Lake API").isTrue();
        assertThat(watched.covers(event(null, "https://acct.dfs.core.windows.net/incoming/data/a.csv", null)))
                .as("no topic").isTrue();
        assertThat(watched.covers(event("ACCT", "https://Acct.privatelink.dfs.core.windows.net/incoming/data/a.csv",
                null))).as("private endpoint, other case").isTrue();
        assertThat(new EventAccount("https://acct.blob.core.usgovcloudapi.net", "incoming").covers(event("acct",
                "https://acct.dfs.core.usgovcloudapi.net/incoming/data/a.csv", null))).as("sovereign").isTrue();
    }

    @Test
    void anyFieldNamingAnotherAccountRefusesTheEvent() {
        EventAccount watched = new EventAccount("https://acct.blob.core.windows.net", "incoming");
        assertThat(watched.covers(event("other", "https://acct.blob.core.windows.net/incoming/data/a.csv", null)))
                .as("topic of another account").isFalse();
        assertThat(watched.covers(event("acct", "https://other.dfs.core.windows.net/incoming/data/a.csv", null)))
                .as("url of another account").isFalse();
        assertThat(watched.covers(event("acct", "https://acct.dfs.core.windows.net/incoming/data/a.csv",
                "https://other.blob.core.windows.net/incoming/data/a.csv"))).as("blobUrl of another").isFalse();
        assertThat(watched.covers(event("acct", "https://acct.dfs.core.windows.net/outgoing/data/a.csv", null)))
                .as("url in another container").isFalse();
        assertThat(watched.covers(event(null, "https://evil.example.com/incoming/data/a.csv", null)))
                .as("a host that names no account").isFalse();
    }

    @Test
    void emulatorUrlsNameTheAccountInTheirPath() {
        EventAccount azurite = new EventAccount("http://127.0.0.1:10000/devstoreaccount1", "incoming");
        assertThat(azurite.covers(event("devstoreaccount1",
                "http://127.0.0.1:10000/devstoreaccount1/incoming/data/a.csv", null))).isTrue();
        assertThat(azurite.covers(event("devstoreaccount1",
                "https://devstoreaccount1.dfs.core.windows.net/incoming/data/a.csv", null))).isTrue();
        assertThat(azurite.covers(event("other", "http://127.0.0.1:10000/other/incoming/data/a.csv", null)))
                .isFalse();
    }

    @Test
    void aCustomDomainWatchComparesTheContainerUrl() {
        EventAccount custom = new EventAccount("https://data.contoso.com", "incoming");
        assertThat(custom.covers(event("acct", "https://data.contoso.com/incoming/data/a.csv", null))).isTrue();
        assertThat(custom.covers(event("acct", "https://acct.dfs.core.windows.net/incoming/data/a.csv", null)))
                .as("nothing ties that host to the custom domain").isFalse();
    }

    @Test
    void theAccountNameOfAResourceId() {
        assertThat(EventAccount.accountOfResourceId(TOPIC + "acct")).isEqualTo("acct");
        assertThat(EventAccount.accountOfResourceId(TOPIC.toLowerCase() + "acct/blobServices/default"))
                .isEqualTo("acct");
        assertThat(EventAccount.accountOfResourceId("/subscriptions/s/resourceGroups/rg")).isNull();
        assertThat(EventAccount.accountOfResourceId(null)).isNull();
    }
}
