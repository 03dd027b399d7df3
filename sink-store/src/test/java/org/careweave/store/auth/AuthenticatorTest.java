package org.careweave.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {

    @TempDir
    Path dir;

    @Test
    void tokensFromTheFileAndTheAdminTokenAuthenticate() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.write(tokens, List.of(TokensFile.line("c-token", Role.CLINICIAN, "Dr A")));
        Path admin = AdminToken.ensure(dir);

        Authenticator auth = Authenticator.from(Optional.of(tokens), Optional.of(admin));

        assertThat(auth.authenticate("Bearer c-token"))
                .isEqualTo(new Authenticator.Authenticated(new Caller("Dr A", Role.CLINICIAN)));
        assertThat(auth.authenticate("Bearer " + AdminToken.read(admin)))
                .isEqualTo(new Authenticator.Authenticated(new Caller(Authenticator.ADMIN_TOKEN_SUBJECT, Role.ADMIN)));
        assertThat(auth.authenticate(null)).isInstanceOf(Authenticator.Missing.class);
        assertThat(auth.authenticate("Bearer nope")).isInstanceOf(Authenticator.Invalid.class);
        assertThat(auth.authenticate("Basic abc")).isInstanceOf(Authenticator.Invalid.class);
    }

    @Test
    void aChangedTokensFileIsReadAgainSoTokensCanBeRevoked() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.write(tokens, List.of(TokensFile.line("old", Role.CLINICIAN, "Dr A")));
        Authenticator auth = Authenticator.from(Optional.of(tokens), Optional.empty());
        assertThat(auth.authenticate("Bearer old")).isInstanceOf(Authenticator.Authenticated.class);

        Files.write(tokens, List.of(TokensFile.line("new", Role.ANALYST, "Team B")));
        Files.setLastModifiedTime(tokens, FileTime.from(Instant.now().plusSeconds(5)));
        Thread.sleep(1_100);

        assertThat(auth.authenticate("Bearer old")).isInstanceOf(Authenticator.Invalid.class);
        assertThat(auth.authenticate("Bearer new"))
                .isEqualTo(new Authenticator.Authenticated(new Caller("Team B", Role.ANALYST)));
    }

    @Test
    void aBrokenTokensFileKeepsTheTokensReadBefore() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.write(tokens, List.of(TokensFile.line("kept", Role.CLINICIAN, "Dr A")));
        Authenticator auth = Authenticator.from(Optional.of(tokens), Optional.empty());

        Files.write(tokens, List.of("not a valid line"));
        Files.setLastModifiedTime(tokens, FileTime.from(Instant.now().plusSeconds(5)));
        Thread.sleep(1_100);

        assertThat(auth.authenticate("Bearer kept")).isInstanceOf(Authenticator.Authenticated.class);
    }
}
