// Each scenario starts its own processes and browsers and asserts time limits from the issues
// (an alert on two screens within 2 s, a change seen by another operator within 1 s). On a 2-core
// machine, classes running side by side would measure CPU contention, not the product: one at a time.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
