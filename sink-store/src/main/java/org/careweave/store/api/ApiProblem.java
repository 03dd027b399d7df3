package org.careweave.store.api;

/** Thrown by request handling to answer with a problem; carries no stack trace, as it is an answer, not a fault. */
public final class ApiProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    public ApiProblem(Problem problem) {
        super(problem.title() + " (" + problem.status() + ")", null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
