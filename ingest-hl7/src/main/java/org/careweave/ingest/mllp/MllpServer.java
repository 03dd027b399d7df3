package org.careweave.ingest.mllp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import org.careweave.ingest.IngestConfig;
import org.careweave.ingest.intake.Ingestor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The MLLP listener. Netty's non-blocking I/O serves hundreds of connections on a couple of threads, and a slow or
 * stuck client only ever occupies its own connection.
 */
public final class MllpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MllpServer.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final InetSocketAddress address;
    private final ConnectionLimit limit;

    private MllpServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel, ConnectionLimit limit) {
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
        this.address = (InetSocketAddress) channel.localAddress();
        this.limit = limit;
    }

    /** Connections open now. */
    public int connections() {
        return limit.open();
    }

    /** Connections closed at once because {@code mllp.max.connections} were open. */
    public long refusedConnections() {
        return limit.refused();
    }

    public static MllpServer start(IngestConfig config, Ingestor ingestor) {
        SslContext ssl = config.tls().map(MllpServer::sslContext).orElse(null);
        String receivedBy = (ssl == null ? "mllp:" : "mllps:") + config.port();
        long frameTimeoutNanos = config.frameTimeout().toNanos();
        ConnectionLimit limit = new ConnectionLimit(config.maxConnections());
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup();
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 512)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (!limit.admit(ch)) {
                                ch.close();
                                return;
                            }
                            ChannelPipeline p = ch.pipeline();
                            if (ssl != null) {
                                p.addLast("tls", ssl.newHandler(ch.alloc()));
                            }
                            p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toSeconds(),
                                    TimeUnit.SECONDS));
                            MllpFrameDecoder decoder = new MllpFrameDecoder(config.maxMessageBytes());
                            p.addLast("mllp", decoder);
                            p.addLast("ingest", new MllpConnectionHandler(ingestor, receivedBy, frameTimeoutNanos,
                                    decoder));
                        }
                    });
            Channel channel = bootstrap.bind(config.host(), config.port()).sync().channel();
            MllpServer server = new MllpServer(boss, workers, channel, limit);
            log.info("MLLP{} listening on {}", ssl == null ? "" : " over TLS", server.address);
            return server;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(boss, workers);
            throw new IllegalStateException("Interrupted while binding the MLLP listener", e);
        } catch (RuntimeException e) {
            shutdown(boss, workers);
            throw new IllegalStateException("Cannot listen for MLLP on " + config.host() + ":" + config.port()
                    + " (" + e.getMessage() + ")", e);
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /** Stops accepting, lets in-flight ACKs finish briefly, then closes every connection. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        shutdown(boss, workers);
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers) {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static SslContext sslContext(IngestConfig.Tls tls) {
        try {
            KeyStore keys = load(tls.keyStore(), tls.keyStorePassword());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, tls.keyStorePassword().toCharArray());
            KeyStore trusted = load(tls.trustStore(), tls.trustStorePassword());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            return SslContextBuilder.forServer(kmf)
                    .trustManager(tmf)
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read MLLP TLS key or trust store", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up MLLP TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(java.nio.file.Path file, String password) throws IOException,
            GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
