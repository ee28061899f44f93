// Tokens of the .fwpolicy language. Addresses, CIDRs, ports and port ranges are whole
// tokens so that the AST builder can check their values and report a precise position.
lexer grammar FwpolicyLexer;

// Comments go to their own channel so that `fwpolicy fmt` can keep them.
COMMENT     : '#' ~[\r\n]* -> channel(2);
WS          : [ \t\r\n]+ -> skip;

// Keywords (reserved: they cannot be used as names).
POLICY      : 'policy';
PRIORITY    : 'priority';
DEFAULT     : 'default';
INBOUND     : 'inbound';
OUTBOUND    : 'outbound';
ALLOW       : 'allow';
DENY        : 'deny';
REJECT      : 'reject';
LOG         : 'log';
SET         : 'set';
PORTS       : 'ports';
FROM        : 'from';
TO          : 'to';
PORT        : 'port';
ICMP        : 'icmp';
ICMPV6      : 'icmpv6';
TCP         : 'tcp';
UDP         : 'udp';
SCTP        : 'sctp';
TYPE        : 'type';
ESTABLISHED : 'established';
NEW         : 'new';
NOT         : 'not';
ANY         : 'any';
TEST        : 'test';
EXPECT      : 'expect';
PODS        : 'pods';
SERVICE     : 'service';
NAMESPACES  : 'namespaces';
IN          : 'in';
KERNEL_SETS : 'kernel-sets';
ABOVE       : 'above';
AUDIT       : 'audit';
VIA         : 'via';

LBRACE      : '{';
RBRACE      : '}';
COMMA       : ',';
ASSIGN      : '=';

// 192.168.0.1, 10.0.0.0/8 — the octets and prefix are range-checked by the builder.
IPV4        : DIGITS '.' DIGITS '.' DIGITS '.' DIGITS PREFIX?;
// 2001:db8::1, ::1, fe80::/10, ::ffff:10.0.0.1 — any run of hex digits, colons and dots
// that holds a colon; the builder parses it and reports what is wrong with it.
IPV6        : HEX* ':' [0-9a-fA-F:.]* PREFIX?;
PORT_RANGE  : DIGITS '-' DIGITS;
INT         : DIGITS;
VARIABLE    : '$' NAME_CHARS;
// shop/api: a Service in a namespace. One token, so that no space can hide between the parts.
QUALIFIED_NAME : NAME_CHARS '/' NAME_CHARS;
NAME        : NAME_CHARS;
STRING      : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* '"';
UNTERMINATED_STRING : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )*;

// Anything else is one bad character, reported by the parser with its position.
ERROR_CHAR  : . ;

fragment DIGITS     : [0-9]+;
fragment HEX        : [0-9a-fA-F];
fragment PREFIX     : '/' DIGITS;
fragment NAME_CHARS : [a-zA-Z_] [a-zA-Z0-9_-]*;
