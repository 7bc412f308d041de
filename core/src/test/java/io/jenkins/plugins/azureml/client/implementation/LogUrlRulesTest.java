package io.jenkins.plugins.azureml.client.implementation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which log file URLs from run details are read (without a token): Azure Storage blob hosts over https only. */
class LogUrlRulesTest {
    private final LogUrlRules rules = new LogUrlRules(false);

    @Test
    void readsBlobUrlsOfTheThreeCloudsOverHttps() {
        assertThat(rules.isReadable("https://mlws0store.blob.core.windows.net/azureml/ExperimentRun/dcid.r/"
                + "user_logs/std_log.txt?sv=2019-07-07&sr=b&sig=abc")).isTrue();
        assertThat(rules.isReadable("https://acct.blob.core.usgovcloudapi.net/c/f.txt?sig=x")).isTrue();
        assertThat(rules.isReadable("https://acct.blob.core.chinacloudapi.cn:443/c/f.txt?sig=x")).isTrue();
    }

    @Test
    void refusesOtherHostsSchemesPortsUserInfoAndLoopbackUnlessAllowed() {
        assertThat(rules.isReadable("http://acct.blob.core.windows.net/c/f.txt?sig=x")).isFalse();
        assertThat(rules.isReadable("https://acct.blob.core.windows.net:8443/c/f.txt")).isFalse();
        assertThat(rules.isReadable("https://user@acct.blob.core.windows.net/c/f.txt")).isFalse();
        assertThat(rules.isReadable("https://acct.blob.core.windows.net.evil.example/c/f.txt")).isFalse();
        assertThat(rules.isReadable("https://westus.api.azureml.ms/history/v1.0/x")).isFalse();
        assertThat(rules.isReadable("https://169.254.169.254/metadata")).isFalse();
        assertThat(rules.isReadable("file:///etc/passwd")).isFalse();
        assertThat(rules.isReadable("not a url")).isFalse();
        assertThat(rules.isReadable(null)).isFalse();
        assertThat(rules.isReadable("http://127.0.0.1:1234/c/f.txt")).isFalse();
        assertThat(new LogUrlRules(true).isReadable("http://127.0.0.1:1234/c/f.txt")).isTrue();
    }
}
