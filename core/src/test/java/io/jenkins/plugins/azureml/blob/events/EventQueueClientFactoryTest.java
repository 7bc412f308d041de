package io.jenkins.plugins.azureml.blob.events;

import com.azure.core.util.BinaryData;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.blob.testing.AzuriteQueueExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventQueueClientFactoryTest {
    @RegisterExtension
    static final AzuriteQueueExtension QUEUES = new AzuriteQueueExtension();

    @Test
    void aConnectionStringReachesTheQueueAndItsPoisonQueue() {
        EventQueueClientFactory.EventQueueClients clients = EventQueueClientFactory
                .forQueueUrl(QUEUES.queueEndpoint() + "/incoming-events/").withStorageSecret(QUEUES.connectionString());
        clients.queue().create();
        clients.queue().sendMessage(BinaryData.fromString("hello"));
        assertThat(clients.queue().getProperties().getApproximateMessagesCountLong()).isEqualTo(1L);
        assertThat(clients.poisonQueue().getQueueName()).isEqualTo("incoming-events-poison");
        assertThat(clients.poisonQueue().getQueueUrl()).isEqualTo(QUEUES.queueEndpoint() + "/incoming-events-poison");
    }

    @Test
    void badUrlsAndSecretsNameTheFieldToFix() {
        assertThatThrownBy(() -> EventQueueClientFactory.forQueueUrl("https://acct.queue.core.windows.net"))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("eventQueueUrl");
        assertThatThrownBy(() -> EventQueueClientFactory.forQueueUrl("https://acct.queue.core.windows.net/Bad_Name"))
                .hasMessageContaining("eventQueueUrl").hasMessageContaining("lowercase");
        assertThatThrownBy(() -> EventQueueClientFactory.forQueueUrl(
                "https://acct.queue.core.windows.net/q1?sv=1&sig=SECRET"))
                .hasMessageContaining("without a SAS").hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> EventQueueClientFactory.forQueueUrl("https://other.queue.core.windows.net/events")
                .withStorageSecret(QUEUES.connectionString()))
                .hasMessageContaining("eventQueueUrl").hasMessageNotContaining("AccountKey=");
        assertThatThrownBy(() -> EventQueueClientFactory.forQueueUrl("https://acct.queue.core.windows.net/events")
                .withStorageSecret("sv=2024&sp=r")).hasMessageContaining("sig=");
    }

    @Test
    void theProbeTellsAReadableQueueAMissingOneAndARefusedCredentialApart() {
        EventQueueClientFactory.EventQueueClients clients = EventQueueClientFactory
                .forQueueUrl(QUEUES.queueEndpoint() + "/probed").withStorageSecret(QUEUES.connectionString());
        assertThatThrownBy(() -> EventQueueProbe.check(clients.queue())).isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("eventQueueUrl: ").hasMessageContaining("'probed' does not exist");
        clients.queue().create();
        assertThat(EventQueueProbe.check(clients.queue())).isEqualTo("Queue 'probed' readable: no message waiting.");
        clients.queue().sendMessage(BinaryData.fromString("hello"));
        assertThat(EventQueueProbe.check(clients.queue())).isEqualTo("Queue 'probed' readable: messages are waiting.");
        assertThat(EventQueueProbe.check(clients.queue())).as("peeking leaves the message visible")
                .isEqualTo("Queue 'probed' readable: messages are waiting.");

        String wrongKey = QUEUES.connectionString().replaceFirst("AccountKey=[^;]+",
                "AccountKey=" + java.util.Base64.getEncoder().encodeToString(new byte[64]));
        EventQueueClientFactory.EventQueueClients refused = EventQueueClientFactory
                .forQueueUrl(QUEUES.queueEndpoint() + "/probed").withStorageSecret(wrongKey);
        assertThatThrownBy(() -> EventQueueProbe.check(refused.queue())).isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("credentialsId: ").hasMessageContaining("HTTP 403")
                .hasMessageNotContaining("AccountKey");
    }
}
