class RuleReader:
    def __init__(self, abstain_threshold=0.35): pass
