package dev.fwpolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.format.Formatter;
import dev.fwpolicy.engine.parser.PolicyParser;
import dev.fwpolicy.engine.source.SourceFile;
import org.junit.jupiter.api.Test;

class FormatterTest {
    @Test
    void producesTheCanonicalLayoutAndKeepsEveryComment() {
        String messy = """
                # header comment
                policy   web priority 5 {   # trailing on header
                default inbound deny
                  set office={10.0.0.0/8,2001:db8::/32}
                  ports p = {80,443}


                  inbound { allow tcp from $office
                     to port $p "note"   # after note
                  # own line inside block
                  deny udp to port { 53 } }
                }
                test web { expect allow inbound tcp from 10.1.1.1 to port 80
                  expect allow inbound udp from 192.168.1.1 to port 53   via   lo }
                """;
        String expected = """
                # header comment
                policy web priority 5 {  # trailing on header
                  default inbound deny
                  set office = { 10.0.0.0/8, 2001:db8::/32 }
                  ports p    = { 80, 443 }

                  inbound {
                    allow tcp from $office to port $p  "note"  # after note
                    # own line inside block
                    deny udp to port { 53 }
                  }
                }

                test web {
                  expect allow inbound tcp from 10.1.1.1 to port 80
                  expect allow inbound udp from 192.168.1.1 to port 53 via lo
                }
                """;
        assertThat(format(messy)).isEqualTo(expected);
        assertThat(format(expected)).isEqualTo(expected);
    }

    @Test
    void keepsThePolicysKernelSetThreshold() {
        String messy = """
                policy web {
                kernel-sets   above    20
                  set office={10.0.0.0/8}
                  inbound { allow tcp from $office }
                }
                """;
        String expected = """
                policy web {
                  kernel-sets above 20
                  set office = { 10.0.0.0/8 }
                  inbound {
                    allow tcp from $office
                  }
                }
                """;
        assertThat(format(messy)).isEqualTo(expected);
        assertThat(format(expected)).isEqualTo(expected);
    }

    @Test
    void dynamicSetsKeepTheirSpellingAndAlign() {
        String messy = """
                policy db {
                set frontend=pods "app=frontend"   in shop
                  set scrapers = pods "app.kubernetes.io/name=prometheus" in   namespaces "team=platform"
                  set peers = pods "tier in (web, api), !canary"
                set shopall = pods in shop
                  set other = pods in "1shop"
                  set api = service   shop/api
                  set own = service "api"
                  set mixed = {$frontend,192.168.10.0/24}
                }
                """;
        String expected = """
                policy db {
                  set frontend = pods "app=frontend" in shop
                  set scrapers = pods "app.kubernetes.io/name=prometheus" in namespaces "team=platform"
                  set peers    = pods "tier in (web, api), !canary"
                  set shopall  = pods in shop
                  set other    = pods in "1shop"
                  set api      = service shop/api
                  set own      = service "api"
                  set mixed    = { $frontend, 192.168.10.0/24 }
                }
                """;
        assertThat(format(messy)).isEqualTo(expected);
        assertThat(format(expected)).isEqualTo(expected);
    }

    private static String format(String text) {
        var file = new PolicyParser().parse(new SourceFile("f.fwpolicy", text), new Diagnostics()).orElseThrow();
        return Formatter.format(file);
    }
}
