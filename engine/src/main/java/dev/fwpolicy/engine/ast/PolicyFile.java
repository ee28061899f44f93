package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;

/** One parsed source file: its declarations in written order, and its comments. */
public record PolicyFile(SourceFile source, List<Declaration> declarations, List<Comment> comments) {

    public PolicyFile {
        declarations = List.copyOf(declarations);
        comments = List.copyOf(comments);
    }

    public List<PolicyDecl> policies() {
        return declarations.stream().filter(PolicyDecl.class::isInstance).map(PolicyDecl.class::cast).toList();
    }

    public List<TestDecl> tests() {
        return declarations.stream().filter(TestDecl.class::isInstance).map(TestDecl.class::cast).toList();
    }
}
