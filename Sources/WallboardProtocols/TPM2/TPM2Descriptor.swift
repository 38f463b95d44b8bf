extension TPM2 {
    public static let descriptor = BoardProtocolDescriptor(
        title: "TPM2 pixel frames",
        models: [BoardModel(
            name: "tpm2", title: "TPM2 pixel matrix", family: .tpm2,
            // TPM2 devices only acknowledge; there is no refusal to retry.
            replies: ReplyRules(makeParser: TPM2ReplyParser.init, isRetryable: { _ in false })
        )],
        fuzzTarget: "tpm2"
    )
}
