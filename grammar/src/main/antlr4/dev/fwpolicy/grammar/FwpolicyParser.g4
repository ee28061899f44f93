// Syntax of the .fwpolicy language. Every alternative of a rule with several is labelled.
// dev.fwpolicy.engine.parser.AstBuilder implements the generated visitor: one method per
// label and per rule with one alternative, so an alternative added here does not compile
// until AstBuilder builds something from it.
parser grammar FwpolicyParser;

options { tokenVocab = FwpolicyLexer; }

policyFile
    : declaration* EOF
    ;

declaration
    : POLICY name=NAME (PRIORITY priority=INT)? audit=AUDIT? LBRACE policyItem* RBRACE    # PolicyDecl
    | TEST name=NAME LBRACE expectation* RBRACE                              # TestDecl
    ;

policyItem
    : DEFAULT direction verdict audit=AUDIT?                                 # DefaultDecl
    | SET name=NAME ASSIGN addressSet                                        # AddressSetDecl
    | SET name=NAME ASSIGN memberSource                                      # DynamicSetDecl
    | PORTS name=NAME ASSIGN portSet                                         # PortSetDecl
    | direction LBRACE ruleDecl* RBRACE                                      # DirectionBlock
    | KERNEL_SETS ABOVE threshold=INT                                        # KernelSetsDecl
    ;

// Where a dynamic set's members come from. A selector is a quoted Kubernetes label
// selector; without `in`, pods are looked for in the sidecar's own namespace.
memberSource
    : PODS selector=STRING? podNamespaces?                                   # PodsSource
    | SERVICE service=(NAME | QUALIFIED_NAME | STRING)                       # ServiceSource
    ;

podNamespaces
    : IN NAMESPACES selector=STRING                                          # SelectedNamespaces
    | IN namespace=(NAME | STRING)                                           # NamedNamespace
    ;

direction
    : INBOUND                                                                # Inbound
    | OUTBOUND                                                               # Outbound
    ;

verdict
    : ALLOW                                                                  # Allow
    | DENY                                                                   # Deny
    | REJECT                                                                 # Reject
    ;

action
    : verdict                                                                # VerdictAction
    | LOG                                                                    # LogAction
    ;

ruleDecl
    : action ESTABLISHED note=STRING?                                        # EstablishedRule
    | action protocol? source? destination? icmpType? note=STRING?           # MatchRule
    ;

protocol
    : TCP                                                                    # Tcp
    | UDP                                                                    # Udp
    | SCTP                                                                   # Sctp
    | ICMP                                                                   # Icmp
    | ICMPV6                                                                 # Icmpv6
    ;

// `from ADDRS [port PORTS]`: that port is the source port.
source
    : FROM addresses (PORT portSet)?
    ;

// `to ADDRS [port PORTS]`, `to port PORTS` or `port PORTS`: the destination port.
destination
    : TO addresses (PORT portSet)?                                           # AddressDestination
    | TO? PORT portSet                                                       # PortOnlyDestination
    ;

icmpType
    : TYPE (NAME | INT)
    ;

addresses
    : NOT addresses                                                          # NegatedAddresses
    | addressSet                                                             # PlainAddresses
    ;

addressSet
    : LBRACE (addressMember (COMMA addressMember)* COMMA?)? RBRACE           # AddressList
    | addressMember                                                          # SingleAddress
    ;

addressMember
    : (IPV4 | IPV6)                                                          # AddressLiteral
    | ANY                                                                    # AnyAddress
    | VARIABLE                                                               # AddressReference
    ;

portSet
    : LBRACE (portMember (COMMA portMember)* COMMA?)? RBRACE                 # PortList
    | portMember                                                             # SinglePort
    ;

portMember
    : (INT | PORT_RANGE)                                                     # PortLiteral
    | VARIABLE                                                               # PortReference
    ;

// `expect VERDICT DIRECTION [PROTO] [from ADDR [port N]] [to [ADDR] [port N]] [type T] [established|new] [via lo]`
expectation
    : EXPECT verdict flow note=STRING?
    ;

// One packet, the same words in `expect` lines, `eval --flow` and the HTTP API (one meaning).
flow
    : direction protocol? flowSource? flowDestination? icmpType? state? flowInterface?
    ;

// `via lo`: the packet crosses the loopback interface. Any other name is a located error
// from the builder (only loopback is modelled), so the grammar takes a name here.
flowInterface
    : VIA iface=NAME
    ;

// A flow given on its own (command line, HTTP request): the whole text is the flow.
flowQuery
    : flow EOF
    ;

flowSource
    : FROM flowAddress (PORT INT)?
    ;

flowDestination
    : TO flowAddress (PORT INT)?                                             # AddressFlowDestination
    | TO? PORT INT                                                           # PortOnlyFlowDestination
    ;

flowAddress
    : (IPV4 | IPV6)
    ;

state
    : ESTABLISHED                                                            # EstablishedState
    | NEW                                                                    # NewState
    ;
