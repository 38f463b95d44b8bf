import Foundation

// Rebuilding the state at a past moment: a time stamp later than the moment had not happened yet.

extension Date {
    fileprivate func ifNotAfter(_ moment: Date) -> Date? { self <= moment ? self : nil }
}

extension VehicleTask {
    /// The run as it stood at `moment`: later time stamps cleared.
    public func asOf(_ moment: Date) -> VehicleTask {
        var task = self
        task.dispatchedAt = dispatchedAt?.ifNotAfter(moment)
        task.departedAt = departedAt?.ifNotAfter(moment)
        task.atSceneAt = atSceneAt?.ifNotAfter(moment)
        task.patientOnBoardAt = patientOnBoardAt?.ifNotAfter(moment)
        task.atHospitalAt = atHospitalAt?.ifNotAfter(moment)
        task.completedAt = completedAt?.ifNotAfter(moment)
        if task.completedAt == nil { task.emptyRunReason = nil }
        return task
    }
}

extension Incident {
    /// The incident as it stood at `moment`: later time stamps cleared.
    public func asOf(_ moment: Date) -> Incident {
        var incident = self
        incident.receivedAt = receivedAt?.ifNotAfter(moment)
        incident.answeredAt = answeredAt?.ifNotAfter(moment)
        incident.dispatchedAt = dispatchedAt?.ifNotAfter(moment)
        incident.closedAt = closedAt?.ifNotAfter(moment)
        return incident
    }
}

extension Call {
    /// The call as it stood at `moment`: later time stamps cleared; the outcome is known once it ended.
    public func asOf(_ moment: Date) -> Call {
        var call = self
        call.receivedAt = receivedAt?.ifNotAfter(moment)
        call.answeredAt = answeredAt?.ifNotAfter(moment)
        call.endedAt = endedAt?.ifNotAfter(moment)
        if call.endedAt == nil { call.outcome = nil }
        if call.answeredAt == nil { call.seatID = nil }
        return call
    }
}

extension CallTimes {
    public func asOf(_ moment: Date) -> CallTimes {
        CallTimes(
            receivedAt: receivedAt,
            answeredAt: answeredAt?.ifNotAfter(moment),
            endedAt: endedAt?.ifNotAfter(moment),
            outcome: (endedAt?.ifNotAfter(moment)) == nil ? nil : outcome
        )
    }
}
